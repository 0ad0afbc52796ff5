using VisInstruct.Randomness;
using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// The scenes of the procedural abilities. Textures and materials are chosen here (each equally often, in the styles
/// that draw them), so that they are balanced across the data.
/// </summary>
internal static class ProceduralScenes
{
    public static readonly IReadOnlyList<ShapeKind> Shapes = Enum.GetValues<ShapeKind>();

    /// <summary>
    /// A scene with the requested objects, textures and materials drawn where a request leaves them open. The drawing
    /// style comes first: shaded and sketch scenes draw no pattern or finish, so their objects are plain and matte (a
    /// request that names a pattern or finish gets a flat or outlined scene). With <paramref name="overlap"/> (never in
    /// sketch style, whose outlines hide nothing) some objects partly cover others, and the scene says which.
    /// </summary>
    public static SceneSpec Compose(SceneComposer composer, DeterministicRandom rng, IReadOnlyList<ObjectRequest> requests,
        bool overlap = false)
    {
        bool asked = requests.Any(r => r.Texture is { } t && t != Texture.Plain || r.Material is { } m && m != Material.Matte);
        var styles = asked ? [DrawingStyle.Flat, DrawingStyle.Outlined]
            : overlap ? [DrawingStyle.Flat, DrawingStyle.Outlined, DrawingStyle.Shaded] : Enum.GetValues<DrawingStyle>();
        var style = rng.Pick(styles);
        bool finished = style is DrawingStyle.Flat or DrawingStyle.Outlined;
        var resolved = requests.Select(r => r with
        {
            Texture = r.Texture ?? (finished ? RandomTexture(rng) : Texture.Plain),
            Material = r.Material ?? (finished ? RandomMaterial(rng) : Material.Matte),
        }).ToList();
        return composer.Compose(rng, resolved, style, overlap: overlap);
    }

    public static Texture RandomTexture(DeterministicRandom rng) => rng.Pick(Enum.GetValues<Texture>());

    public static Material RandomMaterial(DeterministicRandom rng) => rng.Pick(Enum.GetValues<Material>());

    /// <summary><paramref name="count"/> different shapes in a random order.</summary>
    public static List<ShapeKind> DistinctShapes(DeterministicRandom rng, int count)
    {
        var shapes = Shapes.ToList();
        rng.Shuffle(shapes);
        return shapes.Take(count).ToList();
    }

    /// <summary>
    /// A varied scene of <paramref name="count"/> objects: about half the time some share a shape, so that a reference
    /// needs a colour, size, pattern, finish or place to name one.
    /// </summary>
    public static SceneSpec Varied(SceneComposer composer, DeterministicRandom rng, int count, bool overlap = false)
    {
        var pool = DistinctShapes(rng, rng.NextBool() ? count : Math.Max(1, (count + 1) / 2));
        var requests = Enumerable.Range(0, count).Select(i => new ObjectRequest(i < pool.Count ? pool[i] : rng.Pick(pool))).ToList();
        rng.Shuffle(requests);
        return Compose(composer, rng, requests, overlap && count >= 2);
    }

    /// <summary>Objects of one shape, <paramref name="count"/> of them, with up to <paramref name="others"/> others.</summary>
    public static SceneSpec Counting(SceneComposer composer, DeterministicRandom rng, ShapeKind shape, int count, int others,
        NamedColor? colour = null)
    {
        var requests = Enumerable.Range(0, count).Select(_ => new ObjectRequest(shape, colour, SizeClass.Small)).ToList();
        foreach (var other in Shapes.Where(s => s != shape).OrderBy(_ => rng.NextUInt64()).Take(others))
        {
            requests.Add(new ObjectRequest(other, null, SizeClass.Small));
        }

        rng.Shuffle(requests);
        return Compose(composer, rng, requests);
    }

    /// <summary>Sizes mixed, so that a larger or smaller object stands out clearly.</summary>
    public static SceneSpec Sized(SceneComposer composer, DeterministicRandom rng, int count)
    {
        var shapes = DistinctShapes(rng, count);
        var sizes = new List<SizeClass> { SizeClass.Large, SizeClass.Small };
        while (sizes.Count < count)
        {
            sizes.Add(rng.Pick(Enum.GetValues<SizeClass>()));
        }

        rng.Shuffle(sizes);
        return Compose(composer, rng, shapes.Select((s, i) => new ObjectRequest(s, null, sizes[i])).ToList());
    }

    /// <summary>What sets an odd object apart from the others.</summary>
    public enum OddBy
    {
        Colour,
        Shape,
        Size,
        Texture,
        Material,
    }

    /// <summary>Several identical objects and one that differs in one attribute; the odd one is returned with its index.</summary>
    public static (SceneSpec Scene, int Odd, OddBy By) OddOneOut(SceneComposer composer, DeterministicRandom rng)
    {
        var by = rng.Pick(Enum.GetValues<OddBy>());
        var shape = rng.Pick(Shapes);
        var colour = rng.Pick(NamedColor.Palette);
        var size = by == OddBy.Size ? rng.Pick([SizeClass.Small, SizeClass.Large]) : SizeClass.Medium;
        var texture = RandomTexture(rng);
        var material = RandomMaterial(rng);
        var common = new ObjectRequest(shape, colour, size, texture, material);
        var odd = by switch
        {
            OddBy.Colour => common with { Color = rng.Pick(NamedColor.Palette.Where(c => c != colour).ToList()) },
            OddBy.Shape => common with { Shape = rng.Pick(Shapes.Where(s => s != shape).ToList()) },
            OddBy.Size => common with { Size = size == SizeClass.Small ? SizeClass.Large : SizeClass.Small },
            OddBy.Texture => common with { Texture = rng.Pick(Enum.GetValues<Texture>().Where(t => t != texture).ToList()) },
            _ => common with { Material = rng.Pick(Enum.GetValues<Material>().Where(m => m != material).ToList()) },
        };
        var requests = Enumerable.Repeat(common, rng.NextInt(3, 6)).ToList();
        int at = rng.NextInt(requests.Count + 1);
        requests.Insert(at, odd);
        return (Compose(composer, rng, requests), at, by);
    }

    /// <summary>The index of the object of <paramref name="scene"/> that differs from all the others, or -1.</summary>
    public static int OddIndex(SceneSpec scene)
    {
        for (int i = 0; i < scene.Objects.Count; i++)
        {
            var rest = scene.Objects.Where((_, j) => j != i).ToList();
            if (rest.Count >= 2 && rest.All(o => Alike(o, rest[0])) && !Alike(scene.Objects[i], rest[0]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Alike(SceneObject a, SceneObject b) =>
        a.Shape == b.Shape && a.Color == b.Color && a.Size == b.Size && a.Texture == b.Texture && a.Material == b.Material;

    /// <summary>
    /// The relation of <paramref name="a"/> to <paramref name="b"/> when it is clear (centres apart by a margin), else null.
    /// </summary>
    public static string? ClearRelation(SceneObject a, SceneObject b, SceneSpec scene)
    {
        double dx = a.Box.CenterX - b.Box.CenterX;
        double dy = a.Box.CenterY - b.Box.CenterY;
        double margin = Math.Min(scene.Width, scene.Height) * 0.12;
        double major = Math.Max(Math.Abs(dx), Math.Abs(dy));
        double minor = Math.Min(Math.Abs(dx), Math.Abs(dy));
        return major >= margin && major - minor >= margin / 2 ? SceneWords.Relation(a, b) : null;
    }
}
