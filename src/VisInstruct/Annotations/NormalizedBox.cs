using VisInstruct.Python;

namespace VisInstruct.Annotations;

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
