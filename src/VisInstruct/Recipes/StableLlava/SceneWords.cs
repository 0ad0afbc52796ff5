using VisInstruct.Rendering;
using VisInstruct.Text;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>Words for what a procedural scene shows: objects, places in the picture, relations, styles.</summary>
public static class SceneWords
{
    /// <summary><c>a red circle</c>, <c>a large blue star</c>.</summary>
    public static string Object(SceneObject item, bool size = false) =>
        PromptSpec.Article((size ? item.Size.ToString().ToLowerInvariant() + " " : "") + item.Color.Name + " " + item.ShapeName);

    /// <summary><c>the red circle</c>.</summary>
    public static string The(SceneObject item) => "the " + item.Color.Name + " " + item.ShapeName;

    /// <summary>
    /// Words that name <paramref name="item"/> and no other object of the scene: its shape with the fewest of colour
    /// (when <paramref name="colour"/>), size, texture and material that single it out, else a place phrase or an
    /// ordinal; null when nothing does (see <see cref="ReferenceWords.Words"/>).
    /// </summary>
    public static string? Unique(SceneObject item, SceneSpec scene, bool colour = true) =>
        ReferenceWords.Words(item, scene, null, colour ? Cue.None : Cue.Colour);

    /// <summary>Where in the picture an object is: <c>in the top left</c>, <c>in the centre</c>.</summary>
    public static string Place(SceneObject item, SceneSpec scene)
    {
        int column = item.Box.CenterX < scene.Width / 3.0 ? 0 : item.Box.CenterX < scene.Width * 2 / 3.0 ? 1 : 2;
        int row = item.Box.CenterY < scene.Height / 3.0 ? 0 : item.Box.CenterY < scene.Height * 2 / 3.0 ? 1 : 2;
        string vertical = row switch { 0 => "top", 1 => "middle", _ => "bottom" };
        string horizontal = column switch { 0 => "left", 1 => "centre", _ => "right" };
        return (row, column) switch
        {
            (1, 1) => "in the centre",
            (1, _) => $"on the {horizontal}",
            (_, 1) => $"at the {vertical}",
            _ => $"in the {vertical} {horizontal}",
        };
    }

    /// <summary>Where <paramref name="a"/> is relative to <paramref name="b"/>, along the axis they are most apart on.</summary>
    public static string Relation(SceneObject a, SceneObject b)
    {
        double dx = a.Box.CenterX - b.Box.CenterX;
        double dy = a.Box.CenterY - b.Box.CenterY;
        return Math.Abs(dx) >= Math.Abs(dy)
            ? (dx < 0 ? "to the left of" : "to the right of")
            : (dy < 0 ? "above" : "below");
    }

    public static string Style(DrawingStyle style) => style switch
    {
        DrawingStyle.Flat => "flat style, with solid colours and no outlines",
        DrawingStyle.Outlined => "cartoon style, with solid colours and dark outlines",
        DrawingStyle.Shaded => "shaded style, with soft gradients that make the shapes look rounded",
        _ => "sketch style, drawn as thick coloured outlines without fill",
    };

    public static string StyleName(DrawingStyle style) => style switch
    {
        DrawingStyle.Flat => "flat",
        DrawingStyle.Outlined => "outlined cartoon",
        DrawingStyle.Shaded => "shaded",
        _ => "sketch",
    };

    /// <summary>
    /// A background in words, naming its kind and both tones: <c>a plain cream background</c>, <c>a pale blue background
    /// with beige dots</c>, <c>a horizon background, pale blue sky above pale green ground</c>.
    /// </summary>
    public static string Background(Background background) => SceneTerms.Background(background);

    /// <summary>A list in words: <c>a, b and c</c>.</summary>
    public static string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };

    /// <summary>
    /// Everything a scene shows, for a dialogue writer: background, style, each object with size, texture, material and
    /// place, and which objects partly cover which.
    /// </summary>
    public static string Describe(SceneSpec scene) =>
        $"{Background(scene.Background)}, drawn in {Style(scene.Style)}; "
        + (scene.Objects.Count == 1 ? "one object: " : English.Number(scene.Objects.Count) + " objects: ")
        + List(scene.Objects.Select(o => $"{Looks(o, size: true)} {Place(o, scene)}").ToList())
        + string.Concat(scene.Occlusions.Select(c =>
            $"; {Named(scene.Objects[c.Front], scene)} partly covers {Named(scene.Objects[c.Back], scene)}"));

    /// <summary>A one-sentence caption of a scene.</summary>
    public static string Caption(SceneSpec scene)
    {
        var objects = Groups(scene);
        string what = objects.Count <= 3
            ? List(objects)
            : $"{English.Number(scene.Objects.Count)} shapes, among them {List(objects.Take(2).ToList())}";
        return PromptSpec.Capitalize($"{what} on {Background(scene.Background)}, in {StyleName(scene.Style)} style.");
    }

    /// <summary>A text-to-image-style prompt for a scene (it is what the procedural image shows, exactly).</summary>
    public static string Prompt(SceneSpec scene)
    {
        var heads = scene.Objects.Select(o => SceneTerms.Finish(o) + o.Color.Name + " " + o.ShapeName).ToList();
        string head = heads.Count > 0 ? PromptSpec.Capitalize(heads[0]) : "Empty canvas";
        var parts = new List<string> { $"(({head}))" };
        parts.AddRange(heads.Skip(1));
        parts.Add(Background(scene.Background));
        parts.Add(StyleName(scene.Style) + " style");
        return string.Join(", ", parts);
    }

    /// <summary>
    /// <c>a red circle</c>, <c>a large striped glossy blue star</c>: size (when asked), texture and material (when not
    /// plain and matte), colour, shape.
    /// </summary>
    private static string Looks(SceneObject item, bool size = false) =>
        PromptSpec.Article((size ? item.Size.ToString().ToLowerInvariant() + " " : "") + SceneTerms.Finish(item) + item.Color.Name
            + " " + item.ShapeName);

    /// <summary>
    /// The objects grouped by how a caption names them, with a number for a group of several (<c>two glass pink
    /// hexagons</c>, never the same words twice); the number counts exactly what its words name, so a group's plain
    /// pattern and matte finish are said where another object of its colour and shape has others.
    /// </summary>
    private static List<string> Groups(SceneSpec scene) =>
    [
        .. scene.Objects.GroupBy(o => (o.Shape, o.Color.Name, o.Texture, o.Material)).Select(g =>
        {
            var o = g.First();
            if (g.Count() == 1)
            {
                return Looks(o);
            }

            bool mixed = scene.Objects.Any(x => x.Shape == o.Shape && x.Color.Name == o.Color.Name
                && (x.Texture != o.Texture || x.Material != o.Material));
            string finish = mixed ? SceneTerms.Texture(o.Texture) + " " + SceneTerms.Material(o.Material) + " " : SceneTerms.Finish(o);
            return $"{English.Number(g.Count())} {finish}{o.Color.Name} {ShapeNames.Plural(o.Shape)}";
        }),
    ];

    /// <summary>The object with <c>the</c>, and its place when its colour and shape name more than one object.</summary>
    private static string Named(SceneObject item, SceneSpec scene) =>
        The(item) + (scene.Objects.Count(o => o.Color == item.Color && o.Shape == item.Shape) > 1 ? " " + Place(item, scene) : "");
}
