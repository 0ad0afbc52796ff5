namespace VisInstruct.Backends.Images;

/// <summary>
/// An image producer that passes requests to the one under it, as <c>DelegatingChatClient</c> does for chat: layers
/// override what they add to (<see cref="ProduceAsync"/>), and disposing one disposes the producer under it.
/// </summary>
public abstract class DelegatingImageProducer : IImageProducer
{
    protected DelegatingImageProducer(IImageProducer innerProducer) =>
        InnerProducer = innerProducer ?? throw new ArgumentNullException(nameof(innerProducer));

    /// <summary>The producer under this layer.</summary>
    protected IImageProducer InnerProducer { get; }

    /// <inheritdoc />
    public virtual string Kind => InnerProducer.Kind;

    /// <inheritdoc />
    public virtual string Model => InnerProducer.Model;

    /// <inheritdoc />
    public virtual Task<ProducedImage> ProduceAsync(ImageRequest request, CancellationToken cancellationToken = default) =>
        InnerProducer.ProduceAsync(request, cancellationToken);

    /// <inheritdoc />
    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : InnerProducer.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the producer under this layer.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            InnerProducer.Dispose();
        }
    }
}
