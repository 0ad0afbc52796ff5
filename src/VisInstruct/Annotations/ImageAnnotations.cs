using VisInstruct.Python;


namespace VisInstruct.Annotations;

/// <summary>A box in pixels as the annotation files give it: top-left corner, width and height.</summary>
public readonly record struct PixelRect(double X, double Y, double W, double H)
{
    public double Right => X + W;

    public double Bottom => Y + H;

    /// <summary>The box normalised per side (x/W, y/H, (x+w)/W, (y+h)/H), rounded as Python's <c>round(v, 3)</c>; not clamped.</summary>
    public NormalizedBox Normalize(int imageWidth, int imageHeight) => new(
        PythonFloat.Round(X / imageWidth, 3),
        PythonFloat.Round(Y / imageHeight, 3),
        PythonFloat.Round((X + W) / imageWidth, 3),
        PythonFloat.Round((Y + H) / imageHeight, 3));
}

/// <summary>
/// A box as <c>[x1, y1, x2, y2]</c> in [0, 1] of the image's sides (top-left, bottom-right). <see cref="ToString"/>
/// prints it as a Python list repr, the form SVIT and LLaVA put in prompts and answers: <c>[0.16, 0.341, 0.34, 0.571]</c>.
/// </summary>
public readonly record struct NormalizedBox(double X1, double Y1, double X2, double Y2)
{
    public double Area => Math.Max(0, X2 - X1) * Math.Max(0, Y2 - Y1);

    /// <summary>Intersection over union; 0 when either box is empty.</summary>
    public double IoU(NormalizedBox other)
    {
        double w = Math.Min(X2, other.X2) - Math.Max(X1, other.X1);
        double h = Math.Min(Y2, other.Y2) - Math.Max(Y1, other.Y1);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        double intersection = w * h;
        double union = Area + other.Area - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    public override string ToString()
    {
        Span<char> text = stackalloc char[4 * 34];
        int pos = 0;
        text[pos++] = '[';
        pos += PythonFloat.FormatRepr(X1, text[pos..]);
        text[pos++] = ',';
        text[pos++] = ' ';
        pos += PythonFloat.FormatRepr(Y1, text[pos..]);
        text[pos++] = ',';
        text[pos++] = ' ';
        pos += PythonFloat.FormatRepr(X2, text[pos..]);
        text[pos++] = ',';
        text[pos++] = ' ';
        pos += PythonFloat.FormatRepr(Y2, text[pos..]);
        text[pos++] = ']';
        return new string(text[..pos]);
    }
}

/// <summary>
/// One annotated object: its name (Visual Genome <c>names[0]</c>, or the COCO category), box and attributes. A COCO
/// crowd box (<c>iscrowd: 1</c>, one box over many objects) carries the attribute <see cref="CrowdAttribute"/>.
/// </summary>
public sealed record AnnotatedObject(long Id, string Name, PixelRect Box, IReadOnlyList<string> Attributes)
{
    public const string CrowdAttribute = "crowd";

    public bool IsCrowd => Attributes.Contains(CrowdAttribute);
}

/// <summary>One region description (Visual Genome <c>region_descriptions.json</c>).</summary>
public sealed record AnnotatedRegion(long Id, string Phrase, PixelRect Box);

/// <summary>
/// Everything the annotation files say about one image, joined by image id: the input of the SVIT and LLaVA-Instruct
/// recipes. Captions, objects and regions keep their file order.
/// </summary>
public sealed record ImageAnnotations
{
    /// <summary>The Visual Genome image id (SVIT) or the COCO image id (LLaVA-Instruct).</summary>
    public required long ImageId { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    /// <summary>The image's path in LLaVA-1.5's image folder layout: <c>vg/VG_100K/1.jpg</c>, <c>coco/train2017/000000000009.jpg</c>.</summary>
    public required string ImagePath { get; init; }

    public long? CocoId { get; init; }

    public IReadOnlyList<string> Captions { get; init; } = [];

    public IReadOnlyList<AnnotatedObject> Objects { get; init; } = [];

    public IReadOnlyList<AnnotatedRegion> Regions { get; init; } = [];
}
