using System.Text.Json;

namespace VisInstruct.Backends.Images;

/// <summary>
/// What an HTTP image server's adapter is (AUTOMATIC1111, ComfyUI, OpenAI images): one attempt at one image on a given
/// endpoint, the pre-flight check of an endpoint, and the shared HTTP handling: the configured authorisation, error
/// answers classified into <see cref="BackendException"/>s (429 with Retry-After, 5xx, 4xx with the server's
/// message), malformed JSON. Pooling, timeouts and retries are the layers over it (<see cref="ImageBackends"/>).
/// </summary>
internal abstract class HttpImageBackend : IDisposable
{
    protected HttpImageBackend(ImageEndpointsOptions options)
    {
        Options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        Http = BackendHttp.CreateClient(options.Handler);
    }

    /// <summary><c>comfyui</c>, <c>a1111</c> or <c>openai-images</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The model or checkpoint.</summary>
    public virtual string Model => Options.Model ?? "(server default)";

    /// <summary>The settings (endpoints, credentials, timeouts).</summary>
    public ImageEndpointsOptions Options { get; }

    /// <summary>The cheap authenticated GET the pre-flight check makes, relative to an endpoint.</summary>
    protected abstract string PreflightPath { get; }

    /// <summary>The settings that hold this backend's credentials, for a refusal's message.</summary>
    protected virtual string CredentialSettings => "images.api_key_env";

    /// <summary>What a 404 suggests about the base URL.</summary>
    protected virtual string BaseUrlHint => "";

    protected HttpClient Http { get; }

    /// <summary>
    /// One cheap request to <paramref name="endpoint"/> with the configured credentials, before the run: the answer
    /// says whether it can serve (nothing is generated, nothing is paid for).
    /// </summary>
    public async Task<EndpointHealth> PreflightAsync(Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var url = Under(endpoint, PreflightPath);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            await SendAsync(endpoint, request, limit.Token).ConfigureAwait(false);
            return new EndpointHealth(endpoint, true, $"{url} answered", []);
        }
        catch (BackendException ex) when (ex.Status is { } status)
        {
            bool hasCredentials = Options.ApiKey is { Length: > 0 } || Options.BasicAuth is not null;
            return new EndpointHealth(endpoint, false, EndpointProblems.DescribeStatus(endpoint, url, status,
                BackendHttp.ErrorMessage(ex.Body ?? ""),
                hasCredentials ? CredentialSettings : CredentialSettings + " (none is set)", BaseUrlHint), []);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException
            && !cancellationToken.IsCancellationRequested))
        {
            return new EndpointHealth(endpoint, false, EndpointProblems.DescribeUnreachable(url, ex, timeout), []);
        }
    }

    /// <summary>One attempt at <paramref name="request"/> on <paramref name="endpoint"/>.</summary>
    public abstract Task<ProducedImage> ProduceOnAsync(Uri endpoint, ImageRequest request, CancellationToken cancellationToken);

    public void Dispose()
    {
        Http.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>An endpoint-relative URL (<c>sdapi/v1/txt2img</c> under <c>http://host:7860/</c>).</summary>
    protected static Uri Under(Uri endpoint, string relative) => new(new Uri(endpoint.ToString().TrimEnd('/') + "/"), relative);

    /// <summary>Sends a request with the configured authorisation and returns the successful answer's body, or throws classified.</summary>
    protected async Task<byte[]> SendAsync(Uri endpoint, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Options.ApiKey is { Length: > 0 } key)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
        else if (Options.BasicAuth is { } basic)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(basic.User + ":" + basic.Password)));
        }

        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseContentRead,
            cancellationToken).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return body;
        }

        string text = System.Text.Encoding.UTF8.GetString(body);
        string detail = BackendHttp.ErrorMessage(text) is { } m ? ": " + m : "";
        string message = $"{request.RequestUri}: HTTP {(int)response.StatusCode}{detail}";
        var kind = HttpFailures.KindOf(response.StatusCode);
        var retryAfter = kind == FailureKind.RateLimited
            ? BackendException.ParseRetryAfter(response.Headers.RetryAfter?.ToString(), Options.Time.GetUtcNow())
            : null;
        throw new BackendException(kind, message, endpoint, response.StatusCode, retryAfter, text);
    }

    /// <summary>Parses a JSON answer; anything else is a bad response.</summary>
    protected static JsonDocument ParseJson(Uri endpoint, byte[] body, string what)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new BackendException(FailureKind.BadResponse,
                $"{endpoint}: the answer to {what} is not JSON ({ex.Message.Split(" LineNumber")[0]})",
                endpoint, body: System.Text.Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]), innerException: ex);
        }
    }

    /// <summary>The media type of image bytes, from their signature.</summary>
    protected static string SniffMediaType(byte[] bytes) => bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47])
        ? "image/png"
        : bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : bytes.AsSpan().StartsWith("RIFF"u8) ? "image/webp"
        : throw new BackendException(FailureKind.BadResponse, "the image bytes are not PNG, JPEG or WebP");
}
