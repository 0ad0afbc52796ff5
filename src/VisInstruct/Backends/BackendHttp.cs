using System.Text.Json;

namespace VisInstruct.Backends;

/// <summary>The HTTP plumbing every HTTP backend shares: the client, and how a server's error body is read.</summary>
public static class BackendHttp
{
    /// <summary>The shared HTTP client (also used for health checks), with pooled connections and no timeout of its own.</summary>
    public static HttpClient CreateClient(HttpMessageHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = int.MaxValue,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        }, disposeHandler: handler is null)
        { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The message of an OpenAI-style error body (<c>{"error": {"message": ...}}</c>), if it is one.</summary>
    public static string? ErrorMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    return error.GetString();
                }

                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message)
                    && message.ValueKind == JsonValueKind.String)
                {
                    return message.GetString();
                }
            }

            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("detail", out var detail) ? detail.ToString()
                : Snippet(body);
        }
        catch (JsonException)
        {
            return Snippet(body);
        }
    }

    /// <summary>The start of a body (500 characters), for messages and failure records.</summary>
    public static string? Snippet(string? body) => body is null ? null : body.Length <= 500 ? body : body[..500] + "...";
}
