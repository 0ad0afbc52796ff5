using System.Net;
using System.Net.Sockets;

namespace VisInstruct.Backends;

/// <summary>How what an HTTP request threw or answered becomes a classified <see cref="BackendException"/>.</summary>
public static class HttpFailures
{
    /// <summary>What an HTTP error status means for a request: the kind of failure it is.</summary>
    public static FailureKind KindOf(HttpStatusCode status) => (int)status switch
    {
        429 => FailureKind.RateLimited,
        408 => FailureKind.Timeout,
        >= 500 => FailureKind.ServerError,
        _ => FailureKind.ClientError,
    };

    /// <summary>
    /// Turns what a request to <paramref name="endpoint"/> threw into a classified failure, or null for the caller's
    /// own cancellation (<paramref name="callerToken"/>), which is not a failure.
    /// </summary>
    public static BackendException? Classify(Exception ex, Uri endpoint, CancellationToken callerToken)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex switch
        {
            BackendException backend => backend,
            OperationCanceledException when callerToken.IsCancellationRequested => null,
            OperationCanceledException or TimeoutException =>
                new BackendException(FailureKind.Timeout, $"{endpoint}: the request timed out", endpoint, innerException: ex),
            HttpRequestException { StatusCode: { } status } => FromStatus((int)status, null, null, endpoint, ex),
            HttpRequestException or IOException or SocketException =>
                new BackendException(FailureKind.Connection, $"{endpoint}: {Innermost(ex).Message}", endpoint, innerException: ex),
            // Whatever else a client throws while reading an answer means the answer was not the protocol's.
            _ => new BackendException(FailureKind.BadResponse,
                $"{endpoint}: the answer could not be read ({ex.GetType().Name}: {ex.Message})", endpoint, innerException: ex),
        };
    }

    /// <summary>An error answer with status <paramref name="status"/> (0: none came), its body and Retry-After, as a failure.</summary>
    public static BackendException FromStatus(int status, string? body, string? retryAfter, Uri endpoint, Exception ex)
    {
        string detail = BackendHttp.ErrorMessage(body) is { } message ? ": " + message : "";
        var code = (HttpStatusCode)status;
        string? snippet = BackendHttp.Snippet(body);
        return status == 0
            ? new BackendException(FailureKind.Connection, $"{endpoint}: {Innermost(ex).Message}", endpoint, innerException: ex)
            : KindOf(code) switch
            {
                FailureKind.RateLimited => new BackendException(FailureKind.RateLimited,
                    $"{endpoint}: 429 too many requests{detail}", endpoint, code,
                    BackendException.ParseRetryAfter(retryAfter, DateTimeOffset.UtcNow), snippet, ex),
                FailureKind.Timeout => new BackendException(FailureKind.Timeout, $"{endpoint}: 408 request timeout{detail}", endpoint, code,
                    body: snippet, innerException: ex),
                var kind => new BackendException(kind, $"{endpoint}: HTTP {status}{detail}", endpoint, code, body: snippet,
                    innerException: ex),
            };
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
