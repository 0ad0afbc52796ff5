using System.Text.Json;
using VisInstruct.Backends;

namespace VisInstruct.Engine;

/// <summary>
/// The one place where an exception a stage threw for its item becomes that item's failure record: a short stable
/// kind (<c>timeout</c>, <c>rate-limited</c>, <c>http-500</c>, <c>unparsable</c>, ...), the message, raw material for
/// audit, and how many times the failing call was tried. What is not the item's fault (a stop, an abort, a full
/// disk) never gets here: such an item stays pending.
/// </summary>
internal static class FailureClassifier
{
    /// <summary>
    /// The record of <paramref name="exception"/>, thrown by <paramref name="stage"/> (which waits on
    /// <paramref name="backend"/>) for item <paramref name="key"/> on its <paramref name="attempt"/>th attempt.
    /// </summary>
    public static FailureRecord Classify(Exception exception, string key, string stage, string? backend, int attempt)
    {
        (string kind, string message, string? detail, int attempts) = exception switch
        {
            SampleFailedException failed => (failed.Kind, failed.Message, failed.Detail, failed.Attempts),
            BackendException b => (b.KindName, b.Message, b.Body, b.Attempts),
            TimeoutException => ("timeout", exception.Message, null, 1),
            OperationCanceledException => ("timeout", "the operation timed out: " + exception.Message, null, 1),
            HttpRequestException { StatusCode: { } code } => ($"http-{(int)code}", exception.Message, null, 1),
            HttpRequestException => ("connection", exception.Message, null, 1),
            JsonException => ("unparsable", exception.Message, null, 1),
            _ => ("error", $"{exception.GetType().Name}: {exception.Message}", exception.ToString(), 1),
        };
        return new FailureRecord(key, stage, kind, message, Math.Max(attempts, attempt), backend, detail)
        {
            Dropped = exception is SampleDroppedException,
        };
    }
}
