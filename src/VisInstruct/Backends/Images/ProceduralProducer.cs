using VisInstruct.Randomness;
using VisInstruct.Rendering;

namespace VisInstruct.Backends.Images;

/// <summary>
/// The built-in image backend: draws the request's scene (or, for a free-text prompt, a stand-in scene that uses the
/// prompt's colour, shape and number words) with the procedural renderer, deterministically from the seed.
/// </summary>
public sealed class ProceduralProducer(ImageEncoding encoding = ImageEncoding.Png) : IImageProducer
{
    public const string Name = "procedural";

    public string Kind => Name;

    public string Model => "visinstruct-procedural-1";

    public Task<ProducedImage> ProduceAsync(ImageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scene = request.Scene ?? new SceneComposer(request.Width, request.Height)
            .ForPrompt(request.Prompt, new DeterministicRandom(unchecked((ulong)request.Seed)));
        var format = request.PreferredMediaType switch
        {
            "image/jpeg" => ImageEncoding.Jpeg,
            "image/png" => ImageEncoding.Png,
            _ => encoding,
        };
        byte[] bytes = ProceduralRenderer.Render(scene, format);
        return Task.FromResult(new ProducedImage
        {
            Bytes = bytes,
            MediaType = format == ImageEncoding.Png ? "image/png" : "image/jpeg",
            Seed = request.Seed,
            Scene = scene,
        });
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
    }
}
