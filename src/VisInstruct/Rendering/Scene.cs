using VisInstruct.Python;


namespace VisInstruct.Rendering;

/// <summary>The shapes the procedural renderer draws; each fills its box exactly, so the box is the exact ground truth.</summary>
public enum ShapeKind
{
    Circle,
    Square,
    Rectangle,
    Triangle,
    Diamond,
    Hexagon,
    Star,
    Heart,
    Ring,
    Cross,
    Pentagon,
    Octagon,
    Oval,
    Crescent,
    Arrow,
    Trapezoid,
    Semicircle,
    Teardrop,
    Cloud,
    Bolt,
    Flower,
    Leaf,
}

/// <summary>The pattern an object's fill carries, drawn in a darker or lighter tone of its own colour.</summary>
public enum Texture
{
    Plain,
    Striped,
    Dotted,
    Checked,
}

/// <summary>What an object looks made of: its finish, drawn over its own colour.</summary>
public enum Material
{
    /// <summary>Flat, no highlight.</summary>
    Matte,

    /// <summary>A bright specular highlight (shiny plastic).</summary>
    Glossy,

    /// <summary>Banded light and dark tones of the colour (brushed metal).</summary>
    Metallic,

    /// <summary>See-through: the fill is half transparent, with a bright rim.</summary>
    Glass,
}

/// <summary>How objects are drawn.</summary>
public enum DrawingStyle
{
    /// <summary>Solid fill.</summary>
    Flat,

    /// <summary>Fill with a dark outline.</summary>
    Outlined,

    /// <summary>A radial gradient from a lighter centre.</summary>
    Shaded,

    /// <summary>Thick coloured strokes, no fill.</summary>
    Sketch,
}

/// <summary>The kinds of background.</summary>
public enum BackgroundKind
{
    Plain,
    Gradient,
    Checker,
    Stripes,
    Dots,
    Grid,
    Diagonal,
    Horizon,
    Waves,
}

/// <summary>Relative object sizes: a share of the image's shorter side.</summary>
public enum SizeClass
{
    Small,
    Medium,
    Large,
}

/// <summary>A colour with the name dialogues use for it.</summary>
public sealed record NamedColor(string Name, byte R, byte G, byte B)
{
    /// <summary>The object colours: far apart, with plain names, and all visible on every background.</summary>
    public static IReadOnlyList<NamedColor> Palette { get; } =
    [
        new("red", 220, 30, 40),
        new("orange", 245, 140, 20),
        new("yellow", 240, 210, 20),
        new("green", 40, 160, 60),
        new("blue", 30, 80, 220),
        new("purple", 130, 50, 180),
        new("pink", 240, 110, 180),
        new("brown", 130, 80, 40),
        new("black", 25, 25, 25),
        new("gray", 128, 128, 128),
        new("cyan", 20, 190, 210),
        new("navy", 20, 30, 110),
        new("teal", 0, 120, 120),
        new("olive", 120, 120, 20),
        new("maroon", 120, 10, 30),
        new("lime", 150, 225, 30),
        new("magenta", 215, 0, 200),
    ];

    /// <summary>Light, quiet tones for backgrounds (never an object colour).</summary>
    public static IReadOnlyList<NamedColor> Backgrounds { get; } =
    [
        new("light gray", 225, 225, 225),
        new("beige", 238, 228, 205),
        new("pale blue", 210, 225, 240),
        new("pale green", 215, 235, 215),
        new("cream", 248, 242, 225),
        new("lavender", 228, 222, 240),
    ];

    public static NamedColor? Find(string name) =>
        Palette.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A box in pixels: left, top (inclusive), right, bottom (exclusive).</summary>
public readonly record struct PixelBox(int X1, int Y1, int X2, int Y2)
{
    public int Width => X2 - X1;

    public int Height => Y2 - Y1;

    public double CenterX => (X1 + X2) / 2.0;

    public double CenterY => (Y1 + Y2) / 2.0;

    public long Area => (long)Width * Height;

    /// <summary>True when the boxes, grown by <paramref name="margin"/> pixels, overlap.</summary>
    public bool Touches(PixelBox other, int margin = 0) =>
        X1 - margin < other.X2 && other.X1 - margin < X2 && Y1 - margin < other.Y2 && other.Y1 - margin < Y2;

    /// <summary>The box normalised per side (x/W, y/H), rounded as Python's <c>round(v, 3)</c>.</summary>
    public double[] Normalized(int width, int height) =>
    [
        PythonFloat.Round((double)X1 / width, 3), PythonFloat.Round((double)Y1 / height, 3),
        PythonFloat.Round((double)X2 / width, 3), PythonFloat.Round((double)Y2 / height, 3),
    ];
}

/// <summary>
/// One object of a scene: its shape, colour, size class, exact box (the whole shape's box, also where another object
/// covers part of it), the pattern of its fill and its finish.
/// </summary>
public sealed record SceneObject(ShapeKind Shape, NamedColor Color, SizeClass Size, PixelBox Box, Texture Texture = Texture.Plain,
    Material Material = Material.Matte)
{
    /// <summary>The name dialogues use (<c>circle</c>, <c>star</c>).</summary>
    public string ShapeName => ShapeNames.Name(Shape);
}

/// <summary>
/// One object drawn over part of another: <paramref name="Front"/> and <paramref name="Back"/> are indices into
/// <see cref="SceneSpec.Objects"/> (objects are drawn in list order, so the front one comes later), and
/// <paramref name="Covered"/> is the share of the back object's own pixels the front one hides (0 to 1).
/// </summary>
public sealed record Occlusion(int Front, int Back, double Covered);

/// <summary>The background of a scene.</summary>
public sealed record Background(BackgroundKind Kind, NamedColor Primary, NamedColor Secondary);

/// <summary>Everything the renderer draws: size, background, style and objects. The scene is its own ground truth.</summary>
public sealed record SceneSpec
{
    public required int Width { get; init; }

    public required int Height { get; init; }

    public required Background Background { get; init; }

    public DrawingStyle Style { get; init; } = DrawingStyle.Flat;

    public required IReadOnlyList<SceneObject> Objects { get; init; }

    /// <summary>Which objects partly hide which (empty when no two overlap).</summary>
    public IReadOnlyList<Occlusion> Occlusions { get; init; } = [];

    public bool Equals(SceneSpec? other) => other is not null && Width == other.Width && Height == other.Height
        && Background == other.Background && Style == other.Style && Objects.SequenceEqual(other.Objects)
        && Occlusions.SequenceEqual(other.Occlusions);

    public override int GetHashCode() => HashCode.Combine(Width, Height, Background, Style, Objects.Count);
}

/// <summary>Names of shapes, singular and plural, as dialogues write them.</summary>
public static class ShapeNames
{
    public static string Name(ShapeKind shape) => shape switch
    {
        ShapeKind.Circle => "circle",
        ShapeKind.Square => "square",
        ShapeKind.Rectangle => "rectangle",
        ShapeKind.Triangle => "triangle",
        ShapeKind.Diamond => "diamond",
        ShapeKind.Hexagon => "hexagon",
        ShapeKind.Star => "star",
        ShapeKind.Heart => "heart",
        ShapeKind.Ring => "ring",
        ShapeKind.Cross => "cross",
        ShapeKind.Pentagon => "pentagon",
        ShapeKind.Octagon => "octagon",
        ShapeKind.Oval => "oval",
        ShapeKind.Crescent => "crescent",
        ShapeKind.Arrow => "arrow",
        ShapeKind.Trapezoid => "trapezoid",
        ShapeKind.Semicircle => "semicircle",
        ShapeKind.Teardrop => "teardrop",
        ShapeKind.Cloud => "cloud",
        ShapeKind.Bolt => "lightning bolt",
        ShapeKind.Flower => "flower",
        _ => "leaf",
    };

    public static string Plural(ShapeKind shape) => shape switch
    {
        ShapeKind.Cross => "crosses",
        ShapeKind.Leaf => "leaves",
        _ => Name(shape) + "s",
    };

    /// <summary>The shape a word (or two, <c>lightning bolt</c>) names, singular or plural; null for none.</summary>
    public static ShapeKind? Parse(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        string w = word.Trim().ToLowerInvariant();
        foreach (var shape in Enum.GetValues<ShapeKind>())
        {
            if (Name(shape) == w || Plural(shape) == w)
            {
                return shape;
            }
        }

        return null;
    }
}
