namespace VisInstruct.Engine;

/// <summary>
/// Raised by a stage to fail the current work item with a named cause. The engine records it (stage, kind, message,
/// attempts, backend) and goes on with the other items; it never ends the run.
/// </summary>
public class SampleFailedException : Exception
{
    public SampleFailedException(string kind, string message, string? detail = null, int attempts = 1, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Detail = detail;
        Attempts = attempts;
    }

    /// <summary>The cause, as a short stable word: <c>timeout</c>, <c>rate-limited</c>, <c>http-500</c>, <c>unparsable</c>, ...</summary>
    public string Kind { get; }

    /// <summary>Material kept for audit (the raw model output that failed to parse, say).</summary>
    public string? Detail { get; }

    /// <summary>How many times the failing call was tried.</summary>
    public int Attempts { get; }
}

/// <summary>Raised by a stage to leave the item out of the dataset on purpose (a failed check, a duplicate).</summary>
public sealed class SampleDroppedException(string kind, string message, string? detail = null)
    : SampleFailedException(kind, message, detail);

/// <summary>Raised when the run must stop dispatching (budget reached); the item in hand stays pending.</summary>
public sealed class RunStoppedException(string reason) : Exception(reason);
