namespace VisInstruct.Backends;

/// <summary>What went wrong with one request to a backend, and whether trying again (elsewhere or later) may help.</summary>
public enum FailureKind
{
    /// <summary>429: the server asked to slow down (its <c>Retry-After</c> is honoured).</summary>
    RateLimited,

    /// <summary>The request took longer than its timeout.</summary>
    Timeout,

    /// <summary>A 5xx answer.</summary>
    ServerError,

    /// <summary>No answer: refused, reset or dropped connection.</summary>
    Connection,

    /// <summary>An answer that is not the protocol's (malformed JSON, missing fields).</summary>
    BadResponse,

    /// <summary>A 4xx answer other than 408/429: the request itself is wrong; trying again does not help.</summary>
    ClientError,

    /// <summary>The backend ran the job and reported that it failed (a ComfyUI execution error).</summary>
    JobFailed,

    /// <summary>No endpoint became free within the queue timeout.</summary>
    QueueTimeout,

    /// <summary>The answer did not match the expected JSON, even after the repair turn.</summary>
    Unparsable,

    /// <summary>An image a request was to carry cannot be read as an image.</summary>
    UnreadableImage,

    /// <summary>The backend returned bytes that are not a decodable image.</summary>
    BadImage,
}
