namespace VisInstruct.Backends.Images;

/// <summary>
/// The endpoint-pooling layer at the bottom of an HTTP image backend: each image is made on the endpoint of an
/// <see cref="EndpointPool{T}"/> with the most room, within the request timeout, and its outcome (classified into a
/// <see cref="BackendException"/>) is reported to the pool.
/// </summary>
internal sealed class PooledImageProducer : IImageProducer
{
    private readonly HttpImageBackend _backend;

    public PooledImageProducer(HttpImageBackend backend)
    {
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
        Pool = new EndpointPool<Uri>(backend.Options.Endpoints.Select(u => (u, u)), backend.Options.PoolOptions());
    }

    public string Kind => _backend.Kind;

    public string Model => _backend.Model;

    public EndpointPool<Uri> Pool { get; }

    /// <summary>The configured endpoints.</summary>
    public IReadOnlyList<Uri> Endpoints => _backend.Options.Endpoints;

    /// <summary>The pre-flight check of <paramref name="endpoint"/> (<see cref="HttpImageBackend.PreflightAsync"/>).</summary>
    public Task<EndpointHealth> PreflightAsync(Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _backend.PreflightAsync(endpoint, timeout, cancellationToken);

    public async Task<ProducedImage> ProduceAsync(ImageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var lease = await Pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_backend.Options.RequestTimeout);
        try
        {
            return await _backend.ProduceOnAsync(lease.Endpoint, request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (HttpFailures.Classify(ex, lease.Endpoint, cancellationToken) is { } failure)
        {
            lease.Failed(failure.Kind, failure.RetryAfter);
            throw failure;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose() => _backend.Dispose();
}
