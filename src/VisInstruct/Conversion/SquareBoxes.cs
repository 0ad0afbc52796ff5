using System.Text;
using System.Text.RegularExpressions;
using VisInstruct.Python;

namespace VisInstruct.Conversion;

/// <summary>
/// Re-normalises boxes written in text (<c>[x1, y1, x2, y2]</c>, normalised per side) to the square that LLaVA-1.5
/// pads each image to, with the arithmetic of SVIT's <c>tools/expand_to_square.py</c>: pixels by Python
/// <c>round</c> (ties to even), the shorter side shifted by <c>(long - short) // 2</c>, divided by the longer side and
/// rounded to 3 decimals, printed as Python floats.
/// </summary>
public static partial class SquareBoxes
{
    /// <summary>The box pattern of expand_to_square.py: exactly <c>", "</c> separators, digits and dots only.</summary>
    [GeneratedRegex(@"\[[0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+\]", RegexOptions.CultureInvariant)]
    public static partial Regex BoxPattern();

    /// <summary>
    /// The re-normalised text of one matched box, or null where the Python script's <c>try</c> would fail (a number
    /// such as <c>1.2.3</c>, or an overflow) and leave the box as it was.
    /// </summary>
    public static string? ConvertBox(ReadOnlySpan<char> match, int width, int height)
    {
        if (width <= 0 || height <= 0 || match.Length < 2 || match[0] != '[' || match[^1] != ']')
        {
            return null;
        }

        Span<double> values = stackalloc double[4];
        ReadOnlySpan<char> inner = match[1..^1];
        int index = 0;
        foreach (var range in inner.Split(','))
        {
            if (index == 4 || !PythonFloat.TryParse(inner[range], out values[index]))
            {
                return null;
            }

            index++;
        }

        if (index != 4)
        {
            return null;
        }

        Span<double> pixels = stackalloc double[4];
        for (int i = 0; i < 4; i++)
        {
            double scaled = values[i] * (i % 2 == 0 ? width : height);
            if (!double.IsFinite(scaled))
            {
                return null;
            }

            // round() to an integer; exact in double arithmetic up to 2^53, far beyond any image coordinate.
            pixels[i] = Math.Round(scaled, MidpointRounding.ToEven);
        }

        if (width > height)
        {
            int shift = (width - height) / 2;
            pixels[1] += shift;
            pixels[3] += shift;
        }
        else if (height > width)
        {
            int shift = (height - width) / 2;
            pixels[0] += shift;
            pixels[2] += shift;
        }

        double side = Math.Max(width, height);
        var sb = new StringBuilder(40);
        sb.Append('[');
        Span<char> number = stackalloc char[32];
        for (int i = 0; i < 4; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            int length = PythonFloat.FormatRepr(PythonFloat.Round(pixels[i] / side, 3), number);
            sb.Append(number[..length]);
        }

        return sb.Append(']').ToString();
    }

    /// <summary>
    /// Rewrites every box in <paramref name="value"/> as expand_to_square.py does: the matches are found in the original
    /// text, then each is replaced everywhere in the text as it stands (chained <c>str.replace</c>), so a converted box
    /// that equals a later box's text is converted again, as in the original.
    /// </summary>
    public static string Rewrite(string value, int width, int height, BoxTally tally)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(tally);
        if (!value.Contains('[', StringComparison.Ordinal))
        {
            // Most turns have no box: no regex, no match collection.
            return value;
        }

        var matches = BoxPattern().Matches(value);
        if (matches.Count == 0)
        {
            return value;
        }

        string result = value;
        foreach (Match match in matches)
        {
            tally.Found++;
            string? converted = ConvertBox(match.ValueSpan, width, height);
            if (converted is null)
            {
                tally.Unparsable++;
                continue;
            }

            tally.Converted++;
            result = result.Replace(match.Value, converted, StringComparison.Ordinal);
        }

        return result;
    }

    /// <summary>Counts the boxes in <paramref name="value"/> without changing anything (for images whose size is unknown).</summary>
    public static int Count(string value) => value.Contains('[', StringComparison.Ordinal) ? BoxPattern().Count(value) : 0;
}
