using System.Text.RegularExpressions;
using VisInstruct.Json;
using VisInstruct.Randomness;

namespace VisInstruct.Rendering;

/// <summary>What a scene must contain: an object with these attributes (null: chosen at random).</summary>
public sealed record ObjectRequest(ShapeKind? Shape = null, NamedColor? Color = null, SizeClass? Size = null,
    Texture? Texture = null, Material? Material = null);

/// <summary>
/// Makes scenes: places requested objects at random positions without overlap (so counts and boxes are exact),
/// picks backgrounds and styles, all from the random generator it is given (so a seed gives the same scene).
/// </summary>
public sealed partial class SceneComposer(int width, int height)
{
    /// <summary>The side of procedural scenes when the configuration sets no image size (pixels).</summary>
    public const int DefaultSize = 512;

    private const int MaxTries = 400;

    public int Width { get; } = width;

    public int Height { get; } = height;

    /// <summary>A scene with the requested objects (in that order in the result).</summary>
    public SceneSpec Compose(DeterministicRandom rng, IReadOnlyList<ObjectRequest> objects, DrawingStyle? style = null,
        Background? background = null)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(objects);
        var resolved = objects.Select(o => new ObjectRequest(
            o.Shape ?? rng.Pick(Enum.GetValues<ShapeKind>()),
            o.Color ?? rng.Pick(NamedColor.Palette),
            o.Size ?? rng.Pick(Enum.GetValues<SizeClass>()))).ToList();
        var boxes = Place(rng, resolved);
        return new SceneSpec
        {
            Width = Width,
            Height = Height,
            Background = background ?? RandomBackground(rng),
            Style = style ?? rng.Pick(Enum.GetValues<DrawingStyle>()),
            Objects = resolved.Select((o, i) => new SceneObject(o.Shape!.Value, o.Color!, o.Size!.Value, boxes[i])).ToList(),
        };
    }

    public static Background RandomBackground(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var kinds = Enum.GetValues<BackgroundKind>();
        var primary = rng.Pick(NamedColor.Backgrounds);
        var secondary = rng.Pick(NamedColor.Backgrounds.Where(c => c != primary).ToList());
        return new Background(rng.Pick(kinds), primary, secondary);
    }

    /// <summary>
    /// A scene for a free-text prompt, as a stand-in: colour, shape and number words in the prompt decide the objects
    /// where they can (<c>((Yellow-lemon))</c> gives yellow objects); the rest is chosen at random.
    /// </summary>
    public SceneSpec ForPrompt(string prompt, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(rng);
        var words = WordPattern().Matches(prompt.ToLowerInvariant()).Select(m => m.Value).ToList();
        var colors = words.Select(NamedColor.Find).OfType<NamedColor>().Distinct().ToList();
        var shapes = words.Select(ShapeNames.Parse).OfType<ShapeKind>().Distinct().ToList();
        int count = words.Select(NumberWord).FirstOrDefault(n => n > 0);
        if (count == 0)
        {
            count = rng.NextInt(1, 5);
        }

        var requests = Enumerable.Range(0, Math.Min(count, 8)).Select(i => new ObjectRequest(
            shapes.Count > 0 ? shapes[i % shapes.Count] : null,
            colors.Count > 0 ? colors[i % colors.Count] : null)).ToList();
        return Compose(rng, requests);
    }

    private static int NumberWord(string word) => word switch
    {
        "one" or "a" or "single" => 0,
        "two" or "pair" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        _ => int.TryParse(word, System.Globalization.CultureInfo.InvariantCulture, out int n) && n is > 0 and <= 8 ? n : 0,
    };

    [GeneratedRegex("[a-z0-9]+")]
    private static partial Regex WordPattern();

    /// <summary>Non-overlapping boxes for the objects; sizes shrink if the scene is crowded.</summary>
    private List<PixelBox> Place(DeterministicRandom rng, List<ObjectRequest> objects)
    {
        int side = Math.Min(Width, Height);
        int margin = Math.Max(2, side / 50);
        int gap = Math.Max(3, side / 60);
        for (double scale = 1.0; scale > 0.2; scale *= 0.85)
        {
            var boxes = new List<PixelBox>(objects.Count);
            bool placedAll = true;
            foreach (var request in objects)
            {
                var (w, h) = Dimensions(rng, request, side, scale);
                PixelBox? placed = null;
                for (int attempt = 0; attempt < MaxTries && placed is null; attempt++)
                {
                    int x = rng.NextInt(margin, Math.Max(margin + 1, Width - margin - w));
                    int y = rng.NextInt(margin, Math.Max(margin + 1, Height - margin - h));
                    var box = new PixelBox(x, y, x + w, y + h);
                    if (!boxes.Any(b => b.Touches(box, gap)))
                    {
                        placed = box;
                    }
                }

                if (placed is null)
                {
                    placedAll = false;
                    break;
                }

                boxes.Add(placed.Value);
            }

            if (placedAll)
            {
                return boxes;
            }
        }

        throw new InvalidOperationException($"{objects.Count} objects do not fit in a {Width}x{Height} image");
    }

    private static (int Width, int Height) Dimensions(DeterministicRandom rng, ObjectRequest request, int side, double scale)
    {
        (double min, double max) = request.Size switch
        {
            SizeClass.Small => (0.10, 0.14),
            SizeClass.Medium => (0.17, 0.23),
            _ => (0.28, 0.36),
        };
        double share = (min + (rng.NextDouble() * (max - min))) * scale;
        int h = Math.Max(8, (int)Math.Round(side * share));
        int w = request.Shape == ShapeKind.Rectangle ? (int)Math.Round(h * 1.6) : h;
        return (w, h);
    }
}

/// <summary>Writes a scene's ground truth as JSON: each object's shape, colour, size and box (pixels and normalised).</summary>
public static class SceneTruth
{
    public static void Write(PythonJsonWriter writer, SceneSpec scene)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(scene);
        writer.WriteStartObject();
        writer.WriteNumber("width", scene.Width);
        writer.WriteNumber("height", scene.Height);
        writer.WriteString("background",
            $"{scene.Background.Kind.ToString().ToLowerInvariant()} {scene.Background.Primary.Name}/{scene.Background.Secondary.Name}");
        writer.WriteString("style", scene.Style.ToString().ToLowerInvariant());
        writer.WritePropertyName("objects");
        writer.WriteStartArray();
        foreach (var item in scene.Objects)
        {
            writer.WriteStartObject();
            writer.WriteString("shape", item.ShapeName);
            writer.WriteString("color", item.Color.Name);
            writer.WriteString("size", item.Size.ToString().ToLowerInvariant());
            writer.WritePropertyName("box_px");
            writer.WriteStartArray();
            foreach (int v in new[] { item.Box.X1, item.Box.Y1, item.Box.X2, item.Box.Y2 })
            {
                writer.WriteNumberValue(v);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("box");
            writer.WriteStartArray();
            foreach (double v in item.Box.Normalized(scene.Width, scene.Height))
            {
                writer.WriteNumberValue(v);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
