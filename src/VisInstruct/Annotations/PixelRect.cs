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
