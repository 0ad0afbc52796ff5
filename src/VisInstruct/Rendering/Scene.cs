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

/// <summary>One object of a scene: its shape, colour, size class and exact box.</summary>
public sealed record SceneObject(ShapeKind Shape, NamedColor Color, SizeClass Size, PixelBox Box)
{
    /// <summary>The name dialogues use (<c>circle</c>, <c>star</c>).</summary>
    public string ShapeName => ShapeNames.Name(Shape);
}

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

    public bool Equals(SceneSpec? other) => other is not null && Width == other.Width && Height == other.Height
        && Background == other.Background && Style == other.Style && Objects.SequenceEqual(other.Objects);

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
        _ => "cross",
    };

    public static string Plural(ShapeKind shape) => shape == ShapeKind.Cross ? "crosses" : Name(shape) + "s";

    public static ShapeKind? Parse(string word)
    {
        string w = word.Trim().ToLowerInvariant().TrimEnd('s');
        if (w == "cross" || w == "crosse")
        {
            return ShapeKind.Cross;
        }

        foreach (var shape in Enum.GetValues<ShapeKind>())
        {
            if (Name(shape) == w)
            {
                return shape;
            }
        }

        return null;
    }
}
