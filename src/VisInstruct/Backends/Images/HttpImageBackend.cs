using System.Net;
using System.Text.Json;
using Polly;
using VisInstruct.Backends.Llm;

namespace VisInstruct.Backends.Images;

/// <summary>Settings shared by the HTTP image backends.</summary>
public sealed record ImageEndpointsOptions
{
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    /// <summary>The checkpoint or model name (ComfyUI ckpt_name, A1111 sd_model_checkpoint, OpenAI model).</summary>
    public string? Model { get; init; }

    /// <summary>Sent as a bearer token (OpenAI images) — read from the environment variable the config names.</summary>
    public string? ApiKey { get; init; }

    /// <summary>HTTP basic auth for AUTOMATIC1111's <c>--api-auth</c>.</summary>
    public (string User, string Password)? BasicAuth { get; init; }

    /// <summary>The most one image may take, queueing on the server included.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan? QueueTimeout { get; init; }

    public int MaxConcurrencyPerEndpoint { get; init; } = 4;

    public int Retries { get; init; } = 3;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>ComfyUI: how often to ask whether the job is done.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public HttpMessageHandler? Handler { get; init; }
}

/// <summary>
/// The plumbing the HTTP image backends share: an <see cref="EndpointPool{T}"/> over the endpoints, Polly retries of
/// transient failures (each on the best endpoint then), a timeout per image, and HTTP answers classified into
/// <see cref="BackendException"/>s (429 with Retry-After, 5xx, 4xx with the server's message, dropped connections,
/// malformed JSON).
/// </summary>
public abstract class HttpImageBackend : IImageProducer
{
    private readonly EndpointPool<Uri> _pool;
    private readonly ResiliencePipeline _retry;

    protected HttpImageBackend(ImageEndpointsOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Http = PooledChatClient.CreateHttpClient(options.Handler);
        _pool = new EndpointPool<Uri>(options.Endpoints.Select(u => (u, u)), new EndpointPoolOptions
        {
            MaxConcurrencyPerEndpoint = options.MaxConcurrencyPerEndpoint,
            QueueTimeout = options.QueueTimeout,
            Time = options.Time,
        });
        _retry = PooledChatClient.BuildRetry(options.Retries, options.RetryDelay, options.Time);
    }

    public abstract string Kind { get; }

    public virtual string Model => Options.Model ?? "(server default)";

    public EndpointPool<Uri> Pool => _pool;

    /// <summary>The configured endpoints.</summary>
    public IReadOnlyList<Uri> Endpoints => Options.Endpoints;

    /// <summary>The cheap authenticated GET the pre-flight check makes, relative to an endpoint.</summary>
    protected abstract string PreflightPath { get; }

    /// <summary>The settings that hold this backend's credentials, for a refusal's message.</summary>
    protected virtual string CredentialSettings => "images.api_key_env";

    /// <summary>What a 404 suggests about the base URL.</summary>
    protected virtual string BaseUrlHint => "";

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
            return new EndpointHealth(endpoint, false, Preflight.DescribeStatus(endpoint, url, status, PooledChatClient.ErrorMessage(ex.Body ?? ""),
                hasCredentials ? CredentialSettings : CredentialSettings + " (none is set)", BaseUrlHint), []);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new EndpointHealth(endpoint, false, Preflight.DescribeUnreachable(url, ex, timeout), []);
        }
    }

    protected ImageEndpointsOptions Options { get; }

    protected HttpClient Http { get; }

    public async Task<ProducedImage> ProduceAsync(ImageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        int attempts = 0;
        try
        {
            return await _retry.ExecuteAsync(async token =>
            {
                attempts++;
                using var lease = await _pool.AcquireAsync(token).ConfigureAwait(false);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(Options.RequestTimeout);
                try
                {
                    return await ProduceOnAsync(lease.Endpoint, request, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (PooledChatClient.Classify(ex, lease.Endpoint, token) is { } failure)
                {
                    lease.Failed(failure.Kind, failure.RetryAfter);
                    throw failure;
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (BackendException ex)
        {
            ex.Attempts = attempts;
            throw;
        }
    }

    public void Dispose()
    {
        Http.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One attempt on one endpoint.</summary>
    protected abstract Task<ProducedImage> ProduceOnAsync(Uri endpoint, ImageRequest request, CancellationToken cancellationToken);

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

        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return body;
        }

        string text = System.Text.Encoding.UTF8.GetString(body);
        string message = $"{request.RequestUri}: HTTP {(int)response.StatusCode}{(PooledChatClient.ErrorMessage(text) is { } m ? ": " + m : "")}";
        var retryAfter = BackendException.ParseRetryAfter(response.Headers.RetryAfter?.ToString(), Options.Time.GetUtcNow());
        throw response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => new BackendException(FailureKind.RateLimited, message, endpoint, response.StatusCode, retryAfter, text),
            HttpStatusCode.RequestTimeout => new BackendException(FailureKind.Timeout, message, endpoint, response.StatusCode, body: text),
            >= HttpStatusCode.InternalServerError => new BackendException(FailureKind.ServerError, message, endpoint, response.StatusCode, body: text),
            _ => new BackendException(FailureKind.ClientError, message, endpoint, response.StatusCode, body: text),
        };
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
            throw new BackendException(FailureKind.BadResponse, $"{endpoint}: the answer to {what} is not JSON ({ex.Message.Split(" LineNumber")[0]})", endpoint, body: System.Text.Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]), innerException: ex);
        }
    }

    /// <summary>The media type of image bytes, from their signature.</summary>
    protected static string SniffMediaType(byte[] bytes) => bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]) ? "image/png"
        : bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : bytes.AsSpan().StartsWith("RIFF"u8) ? "image/webp"
        : throw new BackendException(FailureKind.BadResponse, "the image bytes are not PNG, JPEG or WebP");
}
