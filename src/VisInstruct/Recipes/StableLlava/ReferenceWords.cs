using VisInstruct.Randomness;
using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>The attributes a reference may name besides the shape (a flag set: which to leave out).</summary>
[Flags]
public enum Cue
{
    None = 0,
    Colour = 1,
    Size = 2,
    Texture = 4,
    Material = 8,

    /// <summary>A place phrase (<c>in the top left</c>) or an ordinal (<c>second from the left</c>).</summary>
    Place = 16,
}

/// <summary>
/// Referring expressions for the objects of a procedural scene, in the order the dialogue language fixes:
/// <c>[ordinal] [size] [texture] [material] [colour] shape [place]</c>, each naming exactly one object of the scene.
/// </summary>
public static class ReferenceWords
{
    private static readonly Cue[] Attributes = [Cue.Colour, Cue.Size, Cue.Texture, Cue.Material];

    private static readonly string[] Ordinals = ["first", "second", "third", "fourth", "fifth", "sixth"];

    /// <summary>The canonical size word: <c>small</c>, <c>medium</c>, <c>large</c>.</summary>
    public static string SizeWord(SizeClass size) => size.ToString().ToLowerInvariant();

    /// <summary>The canonical texture word: <c>plain</c>, <c>striped</c>, <c>dotted</c>, <c>checked</c>.</summary>
    public static string TextureWord(Texture texture) => texture.ToString().ToLowerInvariant();

    /// <summary>The canonical material word: <c>matte</c>, <c>glossy</c>, <c>metallic</c>, <c>glass</c>.</summary>
    public static string MaterialWord(Material material) => material.ToString().ToLowerInvariant();

    /// <summary>A size word, with a synonym drawn from <paramref name="rng"/> (the canonical one when null).</summary>
    public static string SizeWord(SizeClass size, DeterministicRandom? rng) => rng is null ? SizeWord(size) : size switch
    {
        SizeClass.Small => rng.Pick(["small", "small", "little", "tiny"]),
        SizeClass.Medium => rng.Pick(["medium", "medium", "medium-sized"]),
        _ => rng.Pick(["large", "large", "big", "huge"]),
    };

    /// <summary>A texture word, with a synonym drawn from <paramref name="rng"/> (the canonical one when null).</summary>
    public static string TextureWord(Texture texture, DeterministicRandom? rng) => rng is null ? TextureWord(texture) : texture switch
    {
        Texture.Plain => rng.Pick(["plain", "plain", "solid"]),
        Texture.Striped => "striped",
        Texture.Dotted => rng.Pick(["dotted", "dotted", "spotted", "polka-dot"]),
        _ => rng.Pick(["checked", "checkered"]),
    };

    /// <summary>A material word, with a synonym drawn from <paramref name="rng"/> (the canonical one when null).</summary>
    public static string MaterialWord(Material material, DeterministicRandom? rng) => rng is null ? MaterialWord(material)
        : material switch
        {
            Material.Matte => "matte",
            Material.Glossy => rng.Pick(["glossy", "glossy", "shiny"]),
            Material.Metallic => rng.Pick(["metallic", "metallic", "metal"]),
            _ => "glass",
        };

    /// <summary>
    /// Words (without <c>the</c>) that name <paramref name="item"/> and no other object: the fewest attributes that
    /// single it out (a random one of the shortest when <paramref name="rng"/> is given), then a place phrase, then an
    /// ordinal from the left; null when none does. <paramref name="without"/> names what the words must not use.
    /// </summary>
    public static string? Words(SceneObject item, SceneSpec scene, DeterministicRandom? rng = null, Cue without = Cue.None)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(scene);
        var allowed = Attributes.Where(a => (without & a) == 0).ToList();
        for (int size = 0; size <= allowed.Count; size++)
        {
            var fits = new List<(Cue Cues, bool Generic)>();
            foreach (var cues in Subsets(allowed, size))
            {
                if (Count(scene, item, cues, generic: false) == 1)
                {
                    fits.Add((cues, false));
                }

                if (size > 0 && rng is not null && Count(scene, item, cues, generic: true) == 1)
                {
                    fits.Add((cues, true));
                }
            }

            if (fits.Count > 0)
            {
                var (chosen, generic) = rng is null ? fits[0] : rng.Pick(fits);
                return Phrase(item, chosen, generic ? Noun(rng) : item.ShapeName, rng);
            }
        }

        return (without & Cue.Place) != 0 ? null : Placed(item, scene, rng, without);
    }

    /// <summary>The reference with <c>the</c>, or null when no words single the object out.</summary>
    public static string? The(SceneObject item, SceneSpec scene, DeterministicRandom? rng = null, Cue without = Cue.None) =>
        Words(item, scene, rng, without) is { } words ? "the " + words : null;

    /// <summary>
    /// The object's full description with an article: <c>a large striped glossy red circle</c> (plain and matte left out).
    /// </summary>
    public static string Full(SceneObject item, DeterministicRandom? rng = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        return PromptSpec.Article(Phrase(item, Cue.Colour | Cue.Size | ExtraCues(item), item.ShapeName, rng));
    }

    /// <summary>The full description with <c>the</c>.</summary>
    public static string FullThe(SceneObject item, DeterministicRandom? rng = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        return "the " + Phrase(item, Cue.Colour | Cue.Size | ExtraCues(item), item.ShapeName, rng);
    }

    /// <summary>A generic noun for any object: <c>shape</c>, <c>object</c>, <c>figure</c>.</summary>
    public static string Noun(DeterministicRandom? rng) => rng is null ? "shape" : rng.Pick(["shape", "shape", "object", "figure"]);

    /// <summary>The plural of <see cref="Noun"/>.</summary>
    public static string Nouns(DeterministicRandom? rng) => Noun(rng) + "s";

    /// <summary>The texture and material cues worth naming: those that are not plain / matte.</summary>
    private static Cue ExtraCues(SceneObject item) =>
        (item.Texture != Texture.Plain ? Cue.Texture : Cue.None) | (item.Material != Material.Matte ? Cue.Material : Cue.None);

    /// <summary>The words for <paramref name="cues"/> in the language's order, then the noun.</summary>
    public static string Phrase(SceneObject item, Cue cues, string noun, DeterministicRandom? rng)
    {
        ArgumentNullException.ThrowIfNull(item);
        var words = new List<string>();
        if ((cues & Cue.Size) != 0)
        {
            words.Add(SizeWord(item.Size, rng));
        }

        if ((cues & Cue.Texture) != 0)
        {
            words.Add(TextureWord(item.Texture, rng));
        }

        if ((cues & Cue.Material) != 0)
        {
            words.Add(MaterialWord(item.Material, rng));
        }

        if ((cues & Cue.Colour) != 0)
        {
            words.Add(item.Color.Name);
        }

        words.Add(noun);
        return string.Join(' ', words);
    }

    /// <summary>
    /// True when <paramref name="other"/> shares the attributes <paramref name="cues"/> names with <paramref name="item"/>.
    /// </summary>
    public static bool Same(SceneObject item, SceneObject other, Cue cues)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(other);
        return ((cues & Cue.Colour) == 0 || other.Color == item.Color)
            && ((cues & Cue.Size) == 0 || other.Size == item.Size)
            && ((cues & Cue.Texture) == 0 || other.Texture == item.Texture)
            && ((cues & Cue.Material) == 0 || other.Material == item.Material);
    }

    private static int Count(SceneSpec scene, SceneObject item, Cue cues, bool generic) =>
        scene.Objects.Count(o => (generic || o.Shape == item.Shape) && Same(item, o, cues));

    private static IEnumerable<Cue> Subsets(List<Cue> allowed, int size)
    {
        for (int mask = 0; mask < 1 << allowed.Count; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) == size)
            {
                yield return allowed.Where((_, i) => (mask & (1 << i)) != 0).Aggregate(Cue.None, (a, c) => a | c);
            }
        }
    }

    /// <summary>The shape (with its colour when that helps) and a place phrase or an ordinal from the left.</summary>
    private static string? Placed(SceneObject item, SceneSpec scene, DeterministicRandom? rng, Cue without)
    {
        var options = (without & Cue.Colour) == 0 ? new[] { Cue.None, Cue.Colour } : [Cue.None];
        foreach (var cues in options)
        {
            var alike = scene.Objects.Where(o => o.Shape == item.Shape && Same(item, o, cues)).ToList();
            string place = SceneWords.Place(item, scene);
            if (alike.Count(o => SceneWords.Place(o, scene) == place) == 1)
            {
                return Phrase(item, cues, item.ShapeName, rng) + " " + place;
            }

            var ordered = alike.OrderBy(o => o.Box.CenterX).ToList();
            int rank = ordered.IndexOf(item);
            double gap = scene.Width * 0.08;
            bool clear = (rank == 0 || item.Box.CenterX - ordered[rank - 1].Box.CenterX >= gap)
                && (rank == ordered.Count - 1 || ordered[rank + 1].Box.CenterX - item.Box.CenterX >= gap);
            if (clear && rank < Ordinals.Length)
            {
                string noun = Phrase(item, cues, item.ShapeName, rng);
                return rank == 0 && rng?.NextBool() == true ? "leftmost " + noun
                    : rank == ordered.Count - 1 && rng?.NextBool() == true ? "rightmost " + noun
                    : $"{Ordinals[rank]} {noun} from the left";
            }
        }

        return null;
    }
}
