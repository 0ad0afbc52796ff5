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
    /// The shortest words that name <paramref name="item"/> and no other object of the scene: its shape, then with its colour
    /// (when <paramref name="colour"/>), its size, or both; null when even that fits several objects.
    /// </summary>
    public static string? Unique(SceneObject item, SceneSpec scene, bool colour = true)
    {
        string size = item.Size.ToString().ToLowerInvariant();
        var candidates = new List<(string Words, Func<SceneObject, bool> Fits)> { (item.ShapeName, _ => true) };
        if (colour)
        {
            candidates.Add(($"{item.Color.Name} {item.ShapeName}", o => o.Color == item.Color));
        }

        candidates.Add(($"{size} {item.ShapeName}", o => o.Size == item.Size));
        if (colour)
        {
            candidates.Add(($"{size} {item.Color.Name} {item.ShapeName}", o => o.Size == item.Size && o.Color == item.Color));
        }

        return candidates.FirstOrDefault(c => scene.Objects.Count(o => o.Shape == item.Shape && c.Fits(o)) == 1).Words;
    }

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

    public static string Background(Background background) => background.Kind switch
    {
        BackgroundKind.Plain => $"a plain {background.Primary.Name} background",
        BackgroundKind.Gradient => $"a background fading from {background.Primary.Name} to {background.Secondary.Name}",
        BackgroundKind.Checker => $"a {background.Primary.Name} and {background.Secondary.Name} checkered background",
        BackgroundKind.Dots => $"a {background.Primary.Name} background with {background.Secondary.Name} dots",
        BackgroundKind.Grid => $"a {background.Primary.Name} background with a {background.Secondary.Name} grid",
        BackgroundKind.Diagonal => $"a {background.Primary.Name} background with {background.Secondary.Name} diagonal stripes",
        BackgroundKind.Horizon => $"a {background.Primary.Name} and {background.Secondary.Name} background split at a horizon",
        BackgroundKind.Waves => $"a {background.Primary.Name} background with {background.Secondary.Name} waves",
        _ => $"a {background.Primary.Name} and {background.Secondary.Name} striped background",
    };

    /// <summary>A list in words: <c>a, b and c</c>.</summary>
    public static string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };

    /// <summary>Everything a scene shows, for a dialogue writer: background, style, each object with size and place.</summary>
    public static string Describe(SceneSpec scene) =>
        $"{Background(scene.Background)}, drawn in {Style(scene.Style)}; "
        + (scene.Objects.Count == 1 ? "one object: " : English.Number(scene.Objects.Count) + " objects: ")
        + List(scene.Objects.Select(o => $"{Object(o, size: true)} {Place(o, scene)}").ToList());

    /// <summary>A one-sentence caption of a scene.</summary>
    public static string Caption(SceneSpec scene)
    {
        var objects = scene.Objects.Select(o => Object(o)).ToList();
        string what = objects.Count <= 3
            ? List(objects)
            : $"{English.Number(objects.Count)} shapes, among them {List(objects.Take(2).ToList())}";
        return PromptSpec.Capitalize($"{what} on {Background(scene.Background)}, in {StyleName(scene.Style)} style.");
    }

    /// <summary>A text-to-image-style prompt for a scene (it is what the procedural image shows, exactly).</summary>
    public static string Prompt(SceneSpec scene)
    {
        var heads = scene.Objects.Select(o => o.Color.Name + " " + o.ShapeName).ToList();
        string head = heads.Count > 0 ? PromptSpec.Capitalize(heads[0]) : "Empty canvas";
        var parts = new List<string> { $"(({head}))" };
        parts.AddRange(heads.Skip(1));
        parts.Add(Background(scene.Background));
        parts.Add(StyleName(scene.Style) + " style");
        return string.Join(", ", parts);
    }
}
