using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VisInstruct.Backends.Llm;

/// <summary>
/// The endpoint-pooling layer at the bottom of a chat backend: each request goes to the endpoint of an
/// <see cref="EndpointPool{T}"/> with the most room (adaptive concurrency, Retry-After, health), through that
/// endpoint's own layers, and its outcome is reported to the pool. Also what the endpoints say about the model
/// (its context window), asked once.
/// </summary>
internal sealed class PooledChatClient : IChatClient
{
    private readonly ChatEndpointsOptions _options;
    private readonly HttpClient _http;
    private readonly StructuredModes _modes;
    private Task<int?>? _window;

    /// <summary>A pool over <paramref name="endpoints"/>; <paramref name="http"/> (their transport) is disposed with it.</summary>
    public PooledChatClient(IEnumerable<(Uri Url, IChatClient Client)> endpoints, ChatEndpointsOptions options, HttpClient http,
        StructuredModes modes)
    {
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _modes = modes ?? throw new ArgumentNullException(nameof(modes));
        Pool = new EndpointPool<IChatClient>(endpoints, options.PoolOptions());
    }

    public EndpointPool<IChatClient> Pool { get; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        using var lease = await Pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await lease.Client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (BackendException failure)
        {
            lease.Failed(failure.Kind, failure.RetryAfter);
            throw;
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var lease = await Pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var update in lease.Client.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <summary>
    /// The context window of the served model (tokens), as the endpoints report it on <c>GET /models</c>: the smallest
    /// over the endpoints that report one; null when none does. Asked once per run.
    /// </summary>
    public Task<int?> ContextWindowAsync(CancellationToken cancellationToken = default) =>
        LazyInitializer.EnsureInitialized(ref _window, () => ModelWindow.DiscoverAsync(_http, _options.Endpoints, _options.Model,
            _options.ApiKey,
                TimeSpan.FromSeconds(20), CancellationToken.None))
            .WaitAsync(cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_modes) ? _modes
            : null;
    }

    public void Dispose() => _http.Dispose();
}
