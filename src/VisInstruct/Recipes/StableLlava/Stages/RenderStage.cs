using System.Globalization;
using VisInstruct.Backends.Images;
using VisInstruct.Engine;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// Stage 2, the images: each of the scenario's images, drawn exactly from its scene (procedural) or rendered from its
/// prompt with the run's image parameters, saved under <c>images/</c>, each with a seed of its own.
/// </summary>
internal sealed class RenderStage(ImageService images, ImageRequest parameters, string outputDirectory)
{
    /// <summary>The engine lane the images go through.</summary>
    public string Lane => images.Name;

    public async ValueTask<RenderedSample> RunAsync(PreparedSample sample, SampleContext context, CancellationToken cancellationToken)
    {
        var rendered = new List<RenderedImage>();
        for (int i = 0; i < sample.Scenario.Images.Count; i++)
        {
            var seed = context.SeedFor(string.Create(CultureInfo.InvariantCulture, $"image/{i}"));
            rendered.Add(await RenderImageAsync(sample.Scenario.Images[i], seed, context, cancellationToken).ConfigureAwait(false));
        }

        return new RenderedSample(sample, rendered);
    }

    /// <summary>The images of a sample whose dialogue is written.</summary>
    public async ValueTask<WrittenSample> AfterDialogueAsync(DialoguedSample sample, SampleContext context,
        CancellationToken cancellationToken)
    {
        var rendered = await RunAsync(sample.Prepared, context, cancellationToken).ConfigureAwait(false);
        return new WrittenSample(rendered, sample.Turns, sample.TurnsTrimmed);
    }

    /// <summary>One image with <paramref name="seed"/> (the vision check re-renders with new ones).</summary>
    public Task<RenderedImage> RenderImageAsync(ImagePlan plan, ulong seed, SampleContext context, CancellationToken cancellationToken)
    {
        long imageSeed = (long)(seed & long.MaxValue);
        var request = plan.Scene is { } scene
            ? new ImageRequest { Prompt = plan.Prompt, Scene = scene, Width = scene.Width, Height = scene.Height, Seed = imageSeed }
            : parameters with { Prompt = plan.Prompt, Seed = imageSeed };
        string relative = "images/" + plan.RelativePath;
        string path = Path.Combine(outputDirectory, relative);
        return images.RenderAsync(context.Key, context.Gateway, request, path, relative, cancellationToken);
    }
}
