using System.Net;
using System.Net.Sockets;
using VisInstruct.Backends.Images;
using VisInstruct.Backends.Llm;

namespace VisInstruct.Backends;

/// <summary>What the pre-flight check found at every endpoint of one configured backend.</summary>
public sealed record BackendPreflight(string Backend, IReadOnlyList<EndpointHealth> Endpoints)
{
    /// <summary>No endpoint of the backend can serve the run.</summary>
    public bool AllDown => Endpoints.Count > 0 && Endpoints.All(e => !e.Ok);
}

/// <summary>
/// The checks made before a run sends anything that is paid for: one cheap request to every endpoint of every
/// configured backend. The LLM and vision servers must list the configured model on <c>GET /models</c> (the call the
/// client also reads the model's window from); AUTOMATIC1111 must accept the credentials on
/// <c>GET /sdapi/v1/sd-models</c>; ComfyUI must answer <c>GET /system_stats</c>; OpenAI images <c>GET /models</c>.
/// Each problem is said in words: credentials refused (401/403), wrong base URL (404), connection refused, no answer,
/// model not served.
/// </summary>
public static class Preflight
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Checks every backend of <paramref name="backends"/> (the procedural renderer needs none).</summary>
    public static async Task<IReadOnlyList<BackendPreflight>> CheckAsync(RunBackends backends, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backends);
        var results = new List<BackendPreflight>();
        using var http = PooledChatClient.CreateHttpClient(backends.Handler);
        foreach (var (section, endpoints, model, key) in backends.Checks)
        {
            var found = await LlmHealth.CheckAsync(http, endpoints, model, key, timeout, $"{section}.api_key_env", cancellationToken).ConfigureAwait(false);
            results.Add(new BackendPreflight($"{section} ({model})", found));
        }

        if (backends.Images.Producer is HttpImageBackend images)
        {
            var found = await Task.WhenAll(images.Endpoints.Select(e => images.PreflightAsync(e, timeout, cancellationToken))).ConfigureAwait(false);
            results.Add(new BackendPreflight($"images ({images.Kind})", found));
        }

        return results;
    }

    /// <summary>What an HTTP error status at <paramref name="url"/> means for a check.</summary>
    public static string DescribeStatus(Uri endpoint, Uri url, HttpStatusCode status, string? serverMessage, string credentials, string baseUrlHint)
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

        var socket = exception.InnerException as SocketException ?? (exception as HttpRequestException)?.InnerException?.InnerException as SocketException;
        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"cannot reach {url}: connection refused (is the server running there, on that port?)",
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => $"cannot reach {url}: the host name is not known",
            _ => $"cannot reach {url}: {exception.Message}",
        };
    }
}
