using System.Net;
using System.Net.Sockets;

namespace VisInstruct.Backends;

/// <summary>What a failed health check at an endpoint means, said in words (credentials, base URL, connection).</summary>
public static class EndpointProblems
{
    /// <summary>What an HTTP error status at <paramref name="url"/> means for a check.</summary>
    public static string DescribeStatus(Uri endpoint, Uri url, HttpStatusCode status, string? serverMessage, string credentials,
        string baseUrlHint)
    {
        ArgumentNullException.ThrowIfNull(url);
        string code = $"HTTP {(int)status}{(serverMessage is { Length: > 0 } m ? ": " + m : "")}";
        return status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                $"{url} refused the credentials ({code}); check the key or password that {credentials} names",
            HttpStatusCode.NotFound => $"{url} was not found ({code}); is {endpoint} the server's base URL? {baseUrlHint}",
            _ => $"{url} answered {code}",
        };
    }

    /// <summary>What a request that got no answer at <paramref name="url"/> means.</summary>
    public static string DescribeUnreachable(Uri url, Exception exception, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is OperationCanceledException)
        {
            return $"{url} did not answer within {timeout.TotalSeconds:F0} s";
        }

        var socket = exception.InnerException as SocketException
            ?? (exception as HttpRequestException)?.InnerException?.InnerException as SocketException;
        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"cannot reach {url}: connection refused (is the server running there, on that port?)",
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => $"cannot reach {url}: the host name is not known",
            _ => $"cannot reach {url}: {exception.Message}",
        };
    }
}
