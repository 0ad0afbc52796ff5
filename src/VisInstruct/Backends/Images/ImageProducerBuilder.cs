namespace VisInstruct.Backends.Images;

/// <summary>
/// Builds an image producer from layers over an inner one, as <c>ChatClientBuilder</c> does for chat clients: the
/// first layer added is the outermost (it sees a request first and its image last).
/// </summary>
public sealed class ImageProducerBuilder
{
    private readonly IImageProducer _inner;
    private readonly List<Func<IImageProducer, IImageProducer>> _layers = [];

    /// <summary>A builder of layers over <paramref name="innerProducer"/>, the producer at the bottom.</summary>
    public ImageProducerBuilder(IImageProducer innerProducer) => _inner = innerProducer
        ?? throw new ArgumentNullException(nameof(innerProducer));

    /// <summary>Adds a layer under those added before.</summary>
    public ImageProducerBuilder Use(Func<IImageProducer, IImageProducer> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _layers.Add(layer);
        return this;
    }

    /// <summary>Adds the retry layer: transient failures are tried again with <paramref name="retry"/>'s policy.</summary>
    public ImageProducerBuilder UseRetry(BackendRetry retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        return Use(inner => new RetryingImageProducer(inner, retry));
    }

    /// <summary>The layers over the inner producer, the first added outermost.</summary>
    public IImageProducer Build()
    {
        var producer = _inner;
        for (int i = _layers.Count - 1; i >= 0; i--)
        {
            producer = _layers[i](producer) ?? throw new InvalidOperationException($"image producer layer {i} returned null");
        }

        return producer;
    }
}
