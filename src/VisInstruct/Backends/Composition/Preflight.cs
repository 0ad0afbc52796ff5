using VisInstruct.Backends.Images;
using VisInstruct.Backends.Llm;

namespace VisInstruct.Backends.Composition;

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
    /// <summary>How long one check may take. 20 s.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Checks every backend of <paramref name="backends"/> (the procedural renderer needs none).</summary>
    public static async Task<IReadOnlyList<BackendPreflight>> CheckAsync(RunBackends backends, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backends);
        var results = new List<BackendPreflight>();
        using var http = BackendHttp.CreateClient(backends.Handler);
        foreach (var (section, endpoints, model, key) in backends.Checks)
        {
            var found = await LlmHealth.CheckAsync(http, endpoints, model, key, timeout, $"{section}.api_key_env",
                cancellationToken).ConfigureAwait(false);
            results.Add(new BackendPreflight($"{section} ({model})", found));
        }

        if (backends.Images.Producer.GetService(typeof(PooledImageProducer)) is PooledImageProducer images)
        {
            var found = await Task.WhenAll(images.Endpoints.Select(e => images.PreflightAsync(e, timeout,
                cancellationToken))).ConfigureAwait(false);
            results.Add(new BackendPreflight($"images ({images.Kind})", found));
        }

        return results;
    }
}
