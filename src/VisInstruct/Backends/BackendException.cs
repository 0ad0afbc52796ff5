using System.Net;

namespace VisInstruct.Backends;

/// <summary>A failed backend request, classified; the message says what the server said.</summary>
public sealed class BackendException : Exception
{
    public BackendException(FailureKind kind, string message, Uri? endpoint = null, HttpStatusCode? status = null,
        TimeSpan? retryAfter = null, string? body = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Endpoint = endpoint;
        Status = status;
        RetryAfter = retryAfter;
        Body = body;
    }

    public FailureKind Kind { get; }

    public Uri? Endpoint { get; }

    public HttpStatusCode? Status { get; }

    /// <summary>How long the server asked to wait (<c>Retry-After</c>), if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// Material for the failure record: the start of the response body, or (for <see cref="FailureKind.Unparsable"/>)
    /// the answers that could not be read.
    /// </summary>
    public string? Body { get; }

    /// <summary>How many attempts were made before giving up (set by the retry layer, or by the thrower).</summary>
    public int Attempts { get; internal set; } = 1;

    public bool IsTransient => Kind is FailureKind.RateLimited or FailureKind.Timeout or FailureKind.ServerError
        or FailureKind.Connection or FailureKind.BadResponse;

    /// <summary>The short cause written to failure records: <c>rate-limited</c>, <c>timeout</c>, <c>http-500</c>, ...</summary>
    public string KindName => Kind switch
    {
        FailureKind.RateLimited => "rate-limited",
        FailureKind.Timeout => "timeout",
        FailureKind.ServerError or FailureKind.ClientError when Status is { } s => $"http-{(int)s}",
        FailureKind.ServerError => "server-error",
        FailureKind.Connection => "connection",
        FailureKind.BadResponse => "bad-response",
        FailureKind.ClientError => "client-error",
        FailureKind.JobFailed => "job-failed",
        FailureKind.QueueTimeout => "queue-timeout",
        FailureKind.Unparsable => "unparsable",
        FailureKind.UnreadableImage => "image-unreadable",
        _ => "bad-image",
    };

    /// <summary>Reads a <c>Retry-After</c> header: seconds, or an HTTP date.</summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture,
            out double seconds))
        {
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        }

        return DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var date)
            ? (date > now ? date - now : TimeSpan.Zero)
            : null;
    }
}
