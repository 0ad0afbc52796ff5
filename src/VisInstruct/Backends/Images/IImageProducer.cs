namespace VisInstruct.Backends.Images;

/// <summary>
/// A text-to-image backend: ComfyUI, AUTOMATIC1111/Forge, an OpenAI-style images endpoint, or the built-in procedural
/// renderer. One request, one image.
/// </summary>
public interface IImageProducer : IDisposable
{
    /// <summary><c>comfyui</c>, <c>a1111</c>, <c>openai-images</c> or <c>procedural</c>.</summary>
    string Kind { get; }

    /// <summary>The model or checkpoint.</summary>
    string Model { get; }

    Task<ProducedImage> ProduceAsync(ImageRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// This producer or a layer under it that is a <paramref name="serviceType"/> (the endpoint pool, say), or null;
    /// as <c>IChatClient.GetService</c>.
    /// </summary>
    object? GetService(Type serviceType, object? serviceKey = null);
}
