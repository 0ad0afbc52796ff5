using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using Polly;
using Polly.Retry;

namespace VisInstruct.Backends.Llm;

/// <summary>Settings of a <see cref="PooledChatClient"/>.</summary>
public sealed record ChatEndpointsOptions
{
    /// <summary>Base URLs of OpenAI-compatible servers (<c>http://host:8000/v1</c>) that serve <see cref="Model"/>.</summary>
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    public required string Model { get; init; }

    /// <summary>The API key (read from the environment variable the config names; never written anywhere).</summary>
    public string? ApiKey { get; init; }

    /// <summary>The most one request may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The most a request may wait for room on an endpoint (null: no limit).</summary>
    public TimeSpan? QueueTimeout { get; init; }

    /// <summary>Requests in flight on one endpoint at most.</summary>
    public int MaxConcurrencyPerEndpoint { get; init; } = 64;

    /// <summary>Retries of a transient failure (429, 5xx, timeout, connection, malformed answer), each on the best endpoint then.</summary>
    public int Retries { get; init; } = 4;

    /// <summary>First retry delay; doubles (with jitter) up to 30 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>For tests: the HTTP handler under the clients.</summary>
    public HttpMessageHandler? Handler { get; init; }
}

/// <summary>
/// An <see cref="IChatClient"/> over several OpenAI-compatible endpoints of one model (vLLM, SGLang, Ollama,
/// llama.cpp server, OpenAI): each endpoint is the OpenAI SDK's chat client through Microsoft.Extensions.AI.OpenAI;
/// requests are spread by an <see cref="EndpointPool{T}"/> (adaptive concurrency, Retry-After, health) and retried by
/// Polly on transient failures, each retry on whichever endpoint is best then. Failures come out as
/// <see cref="BackendException"/> with their kind.
/// </summary>
public sealed class PooledChatClient : IChatClient
{
    private readonly ChatEndpointsOptions _options;
    private readonly EndpointPool<IChatClient> _pool;
    private readonly ResiliencePipeline _retry;
    private readonly HttpClient _http;
    private readonly StructuredModes _modes = new();
    private Task<int?>? _window;

    public PooledChatClient(ChatEndpointsOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _http = CreateHttpClient(options.Handler);
        _pool = new EndpointPool<IChatClient>(options.Endpoints.Select(url => (url, CreateEndpointClient(url))), new EndpointPoolOptions
        {
            MaxConcurrencyPerEndpoint = options.MaxConcurrencyPerEndpoint,
            QueueTimeout = options.QueueTimeout,
            Time = options.Time,
        });
        _retry = BuildRetry(options.Retries, options.RetryDelay, options.Time);
    }

    public EndpointPool<IChatClient> Pool => _pool;

    /// <summary>How each endpoint is asked for structured answers (json_schema, json_object, instructions).</summary>
    public StructuredModes Modes => _modes;

    public string Model => _options.Model;

    /// <summary>The shared HTTP client (also used for health checks), with pooled connections and no timeout of its own.</summary>
    public static HttpClient CreateHttpClient(HttpMessageHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = int.MaxValue,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        }, disposeHandler: handler is null)
        { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The retry policy for backend requests: transient <see cref="BackendException"/>s, exponential backoff with jitter.</summary>
    public static ResiliencePipeline BuildRetry(int retries, TimeSpan delay, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<BackendException>(e => e.IsTransient),
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = delay,
                MaxDelay = TimeSpan.FromSeconds(30),
            });
        }

        return builder.Build();
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        int attempts = 0;
        try
        {
            return await _retry.ExecuteAsync(async token =>
            {
                attempts++;
                using var lease = await _pool.AcquireAsync(token).ConfigureAwait(false);
                bool probe = false;
                bool answered = false;
                StructuredMode? mode = null;
                if (Schema(options) is not null)
                {
                    (var entered, probe) = await _modes.EnterAsync(lease.Endpoint, _options.RequestTimeout, token).ConfigureAwait(false);
                    mode = entered;
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(_options.RequestTimeout);

                var (sendMessages, sendOptions) = Adapt(list, options, mode);
                try
                {
                    for (int step = 0; ; step++)
                    {
                        try
                        {
                            var response = await lease.Client.GetResponseAsync(sendMessages, sendOptions, timeout.Token).ConfigureAwait(false);
                            if (response.Messages.Count == 0)
                            {
                                throw new BackendException(FailureKind.BadResponse, "the server answered with no choices", lease.Endpoint);
                            }

                            if (mode is StructuredMode.JsonSchema or StructuredMode.JsonObject && IgnoredFormat(response.Text))
                            {
                                // The server took response_format without complaint and answered in prose anyway: from now on
                                // the schema goes in the prompt, where such a server can at least read it.
                                _modes.Step(lease.Endpoint, mode.Value, StructuredMode.Instructions,
                                    $"{StructuredModes.Name(mode.Value)} was accepted but not followed (the answer had text around the JSON)");
                            }

                            answered = true;
                            return response;
                        }
                        catch (Exception ex) when (Classify(ex, lease.Endpoint, token) is { } failure)
                        {
                            if (mode is { } current && current != StructuredMode.Instructions && step < 3 && failure.Kind == FailureKind.ClientError
                                && StructuredModes.RefusesFormat(failure.Message + " " + failure.Body))
                            {
                                // Refused once per endpoint: step down (json_schema -> json_object -> instructions) and ask again
                                // at once; this is not a retry of a failure.
                                _modes.Step(lease.Endpoint, current, current + 1,
                                    $"{StructuredModes.Name(current)} refused: {failure.Message}");
                                mode = _modes.Get(lease.Endpoint);
                                (sendMessages, sendOptions) = Adapt(list, options, mode);
                                continue;
                            }

                            lease.Failed(failure.Kind, failure.RetryAfter);
                            throw failure;
                        }
                    }
                }
                finally
                {
                    if (probe)
                    {
                        _modes.Exit(lease.Endpoint, answered);
                    }
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (BackendException ex)
        {
            ex.Attempts = attempts;
            throw;
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Streaming is passed through one endpoint without retries: a stream cannot be replayed once it started.
        using var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var update in lease.Client.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <summary>The JSON schema a structured request asks for; null for free text.</summary>
    private static JsonElement? Schema(ChatOptions? options) =>
        options?.ResponseFormat is ChatResponseFormatJson { Schema: { } schema } ? schema : null;

    /// <summary>
    /// The request as this endpoint takes it: unchanged for free text and for json_schema; for json_object the schema
    /// leaves <c>response_format</c> for the prompt; for instructions-only <c>response_format</c> goes altogether. The
    /// schema text is added to the last user message (a second user message in a row breaks chat templates that need
    /// the roles to alternate).
    /// </summary>
    private static (IList<ChatMessage> Messages, ChatOptions? Options) Adapt(IList<ChatMessage> messages, ChatOptions? options, StructuredMode? structured)
    {
        if (Schema(options) is not { } schema || structured is not { } mode || options is null)
        {
            return (messages, options);
        }

        // The response_format is written here, on the SDK's own options, with the schema exactly as given:
        // Microsoft.Extensions.AI would rewrite it for OpenAI's strict mode, moving minItems, maxItems, minLength,
        // maxLength, minimum and maximum into descriptions, which guided decoding (vLLM, SGLang, llama.cpp) then
        // never sees: an "array of turns" with no count.
        var adapted = options.Clone();
        adapted.ResponseFormat = null;
        var inner = options.RawRepresentationFactory;
        string name = (options.ResponseFormat as ChatResponseFormatJson)?.SchemaName ?? "answer";
        var schemaData = BinaryData.FromString(schema.GetRawText());
        adapted.RawRepresentationFactory = client =>
        {
            var raw = inner?.Invoke(client) as OpenAI.Chat.ChatCompletionOptions ?? new OpenAI.Chat.ChatCompletionOptions();
            raw.ResponseFormat = mode switch
            {
                StructuredMode.JsonSchema => OpenAI.Chat.ChatResponseFormat.CreateJsonSchemaFormat(name, schemaData),
                StructuredMode.JsonObject => OpenAI.Chat.ChatResponseFormat.CreateJsonObjectFormat(),
                _ => null,
            };
            return raw;
        };
        if (mode == StructuredMode.JsonSchema)
        {
            return (messages, adapted);
        }

        var list = messages.ToList();
        int last = list.FindLastIndex(m => m.Role == ChatRole.User);
        string instruction = StructuredModes.Instruction(schema);
        if (last < 0)
        {
            list.Add(new ChatMessage(ChatRole.User, instruction));
        }
        else if (list[last].Contents.All(c => c is TextContent))
        {
            // Text stays one string: some servers take no list of parts.
            list[last] = new ChatMessage(ChatRole.User, list[last].Text + "\n\n" + instruction);
        }
        else
        {
            var contents = list[last].Contents.ToList();
            contents.Add(new TextContent("\n\n" + instruction));
            list[last] = new ChatMessage(ChatRole.User, contents);
        }

        return (list, adapted);
    }

    /// <summary>An answer to a structured request that is not JSON from its first character (reasoning aside).</summary>
    private static bool IgnoredFormat(string? text)
    {
        string answer = ReplyText.WithoutReasoning(text ?? "");
        return answer.Length > 0 && answer[0] is not ('{' or '[');
    }

    /// <summary>
    /// The context window of the served model (tokens), as the endpoints report it on <c>GET /models</c>: the smallest
    /// over the endpoints that report one; null when none does. Asked once per run.
    /// </summary>
    public Task<int?> ContextWindowAsync(CancellationToken cancellationToken = default) =>
        LazyInitializer.EnsureInitialized(ref _window, () => ModelWindow.DiscoverAsync(_http, _options.Endpoints, _options.Model, _options.ApiKey, TimeSpan.FromSeconds(20), CancellationToken.None))
            .WaitAsync(cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() => _http.Dispose();

    /// <summary>Turns what a request threw into a classified failure, or null for the caller's own cancellation.</summary>
    internal static BackendException? Classify(Exception ex, Uri endpoint, CancellationToken callerToken)
    {
        switch (ex)
        {
            case BackendException backend:
                return backend;
            case OperationCanceledException when callerToken.IsCancellationRequested:
                return null;
            case OperationCanceledException or TimeoutException:
                return new BackendException(FailureKind.Timeout, $"{endpoint}: the request timed out", endpoint, innerException: ex);
            case ClientResultException result:
                return FromStatus(result.Status, result.GetRawResponse(), endpoint, ex);
            case HttpRequestException { StatusCode: { } status }:
                return FromStatus((int)status, null, endpoint, ex);
            case HttpRequestException or IOException or SocketException:
                return new BackendException(FailureKind.Connection, $"{endpoint}: {Innermost(ex).Message}", endpoint, innerException: ex);
            default:
                // Whatever else the SDK throws while reading an answer means the answer was not the protocol's.
                return new BackendException(FailureKind.BadResponse, $"{endpoint}: the answer could not be read ({ex.GetType().Name}: {ex.Message})", endpoint, innerException: ex);
        }
    }

    private static BackendException FromStatus(int status, PipelineResponse? response, Uri endpoint, Exception ex)
    {
        string? body = null;
        string? retryAfter = null;
        if (response is not null)
        {
            try
            {
                body = response.Content?.ToString();
            }
            catch (InvalidOperationException)
            {
                // The content was streamed and is gone.
            }

            response.Headers.TryGetValue("Retry-After", out retryAfter);
        }

        string detail = ErrorMessage(body) is { } message ? ": " + message : "";
        var code = (HttpStatusCode)status;
        return status switch
        {
            0 => new BackendException(FailureKind.Connection, $"{endpoint}: {Innermost(ex).Message}", endpoint, innerException: ex),
            429 => new BackendException(FailureKind.RateLimited, $"{endpoint}: 429 too many requests{detail}", endpoint, code,
                BackendException.ParseRetryAfter(retryAfter, DateTimeOffset.UtcNow), Snippet(body), ex),
            408 => new BackendException(FailureKind.Timeout, $"{endpoint}: 408 request timeout{detail}", endpoint, code, body: Snippet(body), innerException: ex),
            >= 500 => new BackendException(FailureKind.ServerError, $"{endpoint}: HTTP {status}{detail}", endpoint, code, body: Snippet(body), innerException: ex),
            _ => new BackendException(FailureKind.ClientError, $"{endpoint}: HTTP {status}{detail}", endpoint, code, body: Snippet(body), innerException: ex),
        };
    }

    /// <summary>The message of an OpenAI-style error body (<c>{"error": {"message": ...}}</c>), if it is one.</summary>
    internal static string? ErrorMessage(string? body)
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

                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    return message.GetString();
                }
            }

            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("detail", out var detail) ? detail.ToString() : Snippet(body);
        }
        catch (JsonException)
        {
            return Snippet(body);
        }
    }

    private static string? Snippet(string? body) => body is null ? null : body.Length <= 500 ? body : body[..500] + "...";

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    private IChatClient CreateEndpointClient(Uri endpoint)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            // Retries and timeouts are this class's: the SDK's own would retry behind the pool's back.
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = _options.RequestTimeout,
            Transport = new HttpClientPipelineTransport(_http),
        };
        var credential = new ApiKeyCredential(string.IsNullOrEmpty(_options.ApiKey) ? "none" : _options.ApiKey);
        return new OpenAI.Chat.ChatClient(_options.Model, credential, options).AsIChatClient();
    }
}
