using System.Globalization;
using System.Text.Json;

namespace VisInstruct.Backends.Llm;

/// <summary>
/// Finds how many tokens the served model takes (prompt and answer together) from what OpenAI-compatible servers
/// report on <c>GET /v1/models</c>: <c>max_model_len</c> (vLLM, SGLang), <c>context_length</c>, <c>context_window</c>,
/// <c>max_context_length</c> or <c>n_ctx</c> (other servers and gateways), or llama.cpp's <c>meta.n_ctx_train</c>,
/// which is only the training length: llama.cpp's <c>GET /props</c> gives the context the server was started with
/// (<c>n_ctx</c>), which wins. An endpoint that reports nothing (Ollama, OpenAI) gives null.
/// </summary>
public static class ModelWindow
{
    private static readonly string[] Fields = ["max_model_len", "context_length", "context_window", "max_context_length", "n_ctx",
        "max_seq_len"];

    /// <summary>The smallest window over the endpoints that report one; null when none does (or none answers).</summary>
    public static async Task<int?> DiscoverAsync(HttpClient http, IReadOnlyList<Uri> endpoints, string model, string? apiKey,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoints);
        var windows = await Task.WhenAll(endpoints.Select(e => OneAsync(http, e, model, apiKey, timeout,
            cancellationToken))).ConfigureAwait(false);
        var known = windows.OfType<int>().ToList();
        return known.Count == 0 ? null : known.Min();
    }

    private static async Task<int?> OneAsync(HttpClient http, Uri endpoint, string model, string? apiKey, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        string? models = await GetAsync(http, LlmHealth.ModelsUrl(endpoint), apiKey, timeout, cancellationToken).ConfigureAwait(false);
        if (models is null)
        {
            return null;
        }

        var (window, llamaCpp) = FromModels(models, model);
        if (llamaCpp)
        {
            // llama.cpp: /props sits at the server root, beside /v1.
            string root = endpoint.ToString().TrimEnd('/');
            root = root.EndsWith("/v1", StringComparison.Ordinal) ? root[..^3] : root;
            if (await GetAsync(http, new Uri(root + "/props"), apiKey, timeout,
                cancellationToken).ConfigureAwait(false) is { } props && FromProps(props) is { } served)
            {
                return window is { } trained ? Math.Min(trained, served) : served;
            }
        }

        return window;
    }

    /// <summary>The window a <c>/models</c> answer reports for <paramref name="model"/>, and whether it looks like llama.cpp's.</summary>
    public static (int? Window, bool LlamaCpp) FromModels(string body, string model)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("data", out var data)
                || data.ValueKind != JsonValueKind.Array)
            {
                return (null, false);
            }

            var entries = data.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.Object).ToList();
            var entry = entries.FirstOrDefault(m => m.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                && id.GetString() == model);
            if (entry.ValueKind != JsonValueKind.Object)
            {
                if (entries.Count != 1)
                {
                    return (null, false);
                }

                entry = entries[0];
            }

            foreach (string field in Fields)
            {
                if (Positive(entry, field) is { } value)
                {
                    return (value, false);
                }
            }

            if (entry.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object)
            {
                return (Positive(meta, "n_ctx") ?? Positive(meta, "n_ctx_train"), true);
            }

            return (null, false);
        }
        catch (JsonException)
        {
            return (null, false);
        }
    }

    /// <summary>
    /// The context llama.cpp's <c>/props</c> says the server runs with (<c>default_generation_settings.n_ctx</c> or
    /// <c>n_ctx</c>).
    /// </summary>
    public static int? FromProps(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return root.TryGetProperty("default_generation_settings", out var settings)
                && settings.ValueKind == JsonValueKind.Object && Positive(settings, "n_ctx") is { } n
                ? n
                : Positive(root, "n_ctx");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int? Positive(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) && n > 0)
        {
            return (int)Math.Min(n, int.MaxValue);
        }

        return value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.None,
            CultureInfo.InvariantCulture, out int s) && s > 0 ? s : null;
    }

    private static async Task<string?> GetAsync(HttpClient http, Uri url, string? apiKey, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        try
        {
            var (status, body) = await LlmHealth.GetAsync(http, url, apiKey, timeout, cancellationToken).ConfigureAwait(false);
            return LlmHealth.IsSuccess(status) ? body : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
