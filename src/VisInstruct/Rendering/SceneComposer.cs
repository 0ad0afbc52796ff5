using System.Text.RegularExpressions;
using VisInstruct.Randomness;

namespace VisInstruct.Rendering;

/// <summary>What a scene must contain: an object with these attributes (null: chosen at random).</summary>
public sealed record ObjectRequest(ShapeKind? Shape = null, NamedColor? Color = null, SizeClass? Size = null,
    Texture? Texture = null, Material? Material = null);

/// <summary>
/// Makes scenes: places requested objects at random positions without overlap (or, when asked, with a few measured
/// overlaps), so counts and boxes are exact, and picks textures, materials, backgrounds and styles, all from the random
/// generator it is given (so a seed gives the same scene).
/// </summary>
public sealed partial class SceneComposer(int width, int height)
{
    /// <summary>The side of procedural scenes when the configuration sets no image size (pixels).</summary>
    public const int DefaultSize = 512;

    private const int MaxTries = 400;

    public int Width { get; } = width;

    public int Height { get; } = height;

    /// <summary>
    /// A scene with the requested objects (in that order in the result). Textures and materials show only in the flat and
    /// outlined styles: a request that asks for one in another style is an <see cref="ArgumentException"/>, and objects
    /// left to chance there are plain and matte. With <paramref name="overlap"/>, some later objects are placed partly
    /// over one earlier object each (see <see cref="SceneSpec.Occlusions"/>); the sketch style, which has no fill to hide
    /// anything, is then refused.
    /// </summary>
    public SceneSpec Compose(DeterministicRandom rng, IReadOnlyList<ObjectRequest> objects, DrawingStyle? style = null,
        Background? background = null, bool overlap = false)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(objects);
        bool decorated = objects.Any(o => o.Texture is not (null or Texture.Plain) || o.Material is not (null or Material.Matte));
        if (decorated && style is DrawingStyle.Shaded or DrawingStyle.Sketch)
        {
            throw new ArgumentException($"textures and materials are drawn only in the flat and outlined styles, not {style}");
        }

        if (overlap && style == DrawingStyle.Sketch)
        {
            throw new ArgumentException("overlapping objects need a filled style; the sketch style draws outlines only");
        }

        var resolved = objects.Select(o => o with
        {
            Shape = o.Shape ?? rng.Pick(Enum.GetValues<ShapeKind>()),
            Color = o.Color ?? rng.Pick(NamedColor.Palette),
            Size = o.Size ?? rng.Pick(Enum.GetValues<SizeClass>()),
        }).ToList();
        var chosenStyle = style ?? rng.Pick(Enum.GetValues<DrawingStyle>()
            .Where(s => (!decorated || s is DrawingStyle.Flat or DrawingStyle.Outlined) && (!overlap || s != DrawingStyle.Sketch))
            .ToList());
        bool finishes = chosenStyle is DrawingStyle.Flat or DrawingStyle.Outlined;
        resolved = resolved.Select(o => o with
        {
            Texture = o.Texture ?? (finishes && !rng.NextBool() ? rng.Pick(Enum.GetValues<Texture>()[1..]) : Texture.Plain),
            Material = o.Material ?? (finishes && !rng.NextBool() ? rng.Pick(Enum.GetValues<Material>()[1..]) : Material.Matte),
        }).ToList();
        var (placed, occlusions) = Place(rng, resolved, chosenStyle, overlap);
        return new SceneSpec
        {
            Width = Width,
            Height = Height,
            Background = background ?? RandomBackground(rng),
            Style = chosenStyle,
            Objects = placed,
            Occlusions = occlusions,
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
    /// A scene for a free-text prompt, as a stand-in: colour, shape, texture, material and number words in the prompt
    /// decide the objects where they can (<c>((Yellow-lemon))</c> gives yellow objects, <c>lightning bolt</c> a bolt,
    /// <c>shiny</c> glossy ones); the rest is chosen at random.
    /// </summary>
    public SceneSpec ForPrompt(string prompt, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(rng);
        var words = WordPattern().Matches(prompt.ToLowerInvariant()).Select(m => m.Value).ToList();
        var colors = words.Select(w => NamedColor.Find(w == "grey" ? "gray" : w)).OfType<NamedColor>().Distinct().ToList();
        var shapes = words.Select((w, i) => w == "lightning" && i + 1 < words.Count && words[i + 1] is "bolt" or "bolts"
                ? ShapeKind.Bolt : ShapeNames.Parse(w))
            .OfType<ShapeKind>().Distinct().ToList();
        var textures = words.Select(TextureWord).OfType<Texture>().Distinct().ToList();
        var materials = words.Select((w, i) => MaterialWord(w, i + 1 < words.Count ? words[i + 1] : ""))
            .OfType<Material>().Distinct().ToList();
        int count = words.Select(NumberWord).FirstOrDefault(n => n > 0);
        if (count == 0)
        {
            count = rng.NextInt(1, 5);
        }

        var requests = Enumerable.Range(0, Math.Min(count, 8)).Select(i => new ObjectRequest(
            shapes.Count > 0 ? shapes[i % shapes.Count] : null,
            colors.Count > 0 ? colors[i % colors.Count] : null,
            Texture: textures.Count > 0 ? textures[i % textures.Count] : null,
            Material: materials.Count > 0 ? materials[i % materials.Count] : null)).ToList();
        return Compose(rng, requests);
    }

    private static Texture? TextureWord(string word) => word switch
    {
        "plain" or "solid" => Texture.Plain,
        "striped" or "stripy" => Texture.Striped,
        "dotted" or "spotted" or "polka" => Texture.Dotted,
        "checked" or "checkered" or "chequered" => Texture.Checked,
        _ => null,
    };

    private static Material? MaterialWord(string word, string next) => word switch
    {
        "matte" => Material.Matte,
        "glossy" or "shiny" => Material.Glossy,
        "metallic" or "metal" => Material.Metallic,
        "glass" or "transparent" => Material.Glass,
        "see" when next == "through" => Material.Glass,
        _ => null,
    };

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
}
