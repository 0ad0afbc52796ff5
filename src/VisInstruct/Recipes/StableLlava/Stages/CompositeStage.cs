using System.Globalization;
using System.Security.Cryptography;
using VisInstruct.Engine;
using VisInstruct.Imaging;
using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// With <c>--multi-image composite</c>, between the dialogue and the records: a multi-image sample's images drawn as one
/// (<see cref="ImageComposite"/>: side by side for two, a grid for more), saved as <c>images/&lt;ability&gt;/&lt;index&gt;.jpg</c>,
/// and its dialogue reworded to name the places ("the left image"; <see cref="CompositeWording"/>), so that it is a
/// one-image sample LLaVA-1.5 trains on. The parts stay in <c>images/</c> with their provenance, and the composite
/// gets a provenance line of its own naming them (<see cref="CompositeImage"/>).
/// </summary>
internal sealed class CompositeStage(string outputDirectory)
{
    public ValueTask<WrittenSample> RunAsync(WrittenSample sample, SampleContext context, CancellationToken cancellationToken)
    {
        var prepared = sample.Rendered.Prepared;
        var scenario = prepared.Scenario;
        int count = scenario.Images.Count;
        if (count < 2)
        {
            return ValueTask.FromResult(sample);
        }

        string relative = string.Create(CultureInfo.InvariantCulture, $"{prepared.Input.Ability.Name}/{prepared.Input.Index}.jpg");
        string path = Path.Combine(outputDirectory, "images", relative);
        byte[] jpeg = ImageComposite.Compose([.. sample.Rendered.Images.Select(i => i.Path)]);
        string temp = path + ".tmp";
        File.WriteAllBytes(temp, jpeg);
        File.Move(temp, path, overwrite: true);
        string prompt = string.Join("; ", scenario.Images.Select((p, i) => ImageComposite.Position(i, count) + ": " + p.Prompt));
        var size = ImageHeader.TryRead(path)
            ?? throw new InvalidOperationException($"{path}: the composite just written has no JPEG header");
        var made = new CompositeImage("images/" + relative, Convert.ToHexStringLower(SHA256.HashData(jpeg)), size.Width, size.Height,
            [.. scenario.Images.Select((p, i) => (ImageComposite.Position(i, count), "images/" + p.RelativePath))]);
        var composite = scenario with { Images = [new ImagePlan(relative, prompt, null, null)] };
        bool turnPerImage = scenario.Kind == "multi_turn";
        return ValueTask.FromResult(sample with
        {
            Rendered = sample.Rendered with { Prepared = prepared with { Scenario = composite } },
            Turns = CompositeWording.Rewrite(sample.Turns, count, turnPerImage),
            Composite = made,
        });
    }
}
