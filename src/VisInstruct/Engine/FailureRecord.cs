namespace VisInstruct.Engine;

/// <summary>
/// Why an item failed or was dropped: the stage, a short kind, the message, attempts, backend, and raw material for audit.
/// </summary>
public sealed record FailureRecord(string Key, string Stage, string Kind, string Message, int Attempts, string? Backend, string? Detail)
{
    /// <summary>True when a stage left the item out on purpose rather than failing.</summary>
    public bool Dropped { get; init; }
}
