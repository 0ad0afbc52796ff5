using System.Globalization;
using System.Text.RegularExpressions;

namespace VisInstruct.Report;

/// <summary>
/// Where and how large the boxes of referring data are: every <c>[x1, y1, x2, y2]</c> in a dialogue with four
/// numbers between 0 and 1 (normalised to the image, as SVIT and LLaVA-1.5 write them, x1 &lt; x2, y1 &lt; y2) is
/// counted on two grids, its centre (position) and its width against its height (size).
/// </summary>
public sealed partial class BoxGrid
{
    public const int Cells = 20;

    private readonly long[,] _centres = new long[Cells, Cells];
    private readonly long[,] _sizes = new long[Cells, Cells];

    /// <summary>Boxes found.</summary>
    public long Boxes { get; private set; }

    /// <summary>Samples with at least one box.</summary>
    public long Samples { get; private set; }

    /// <summary>Centres: [row (y), column (x)].</summary>
    public long[,] Centres => _centres;

    /// <summary>Sizes: [row (height), column (width)].</summary>
    public long[,] Sizes => _sizes;

    /// <summary>Counts the boxes in the texts of one sample.</summary>
    public void AddSample(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        bool any = false;
        foreach (string text in texts)
        {
            if (text.IndexOf('[', StringComparison.Ordinal) < 0)
            {
                continue;
            }

            foreach (Match match in Box().Matches(text))
            {
                if (Parse(match) is not { } box)
                {
                    continue;
                }

                any = true;
                Boxes++;
                double cx = (box.X1 + box.X2) / 2, cy = (box.Y1 + box.Y2) / 2;
                _centres[Cell(cy), Cell(cx)]++;
                _sizes[Cell(box.Y2 - box.Y1), Cell(box.X2 - box.X1)]++;
            }
        }

        if (any)
        {
            Samples++;
        }
    }

    /// <summary>The normalised boxes in <paramref name="text"/> (for tests and the page's own reading).</summary>
    public static IReadOnlyList<(double X1, double Y1, double X2, double Y2)> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. Box().Matches(text).Select(Parse).OfType<(double, double, double, double)>()];
    }

    private static (double X1, double Y1, double X2, double Y2)? Parse(Match match)
    {
        var v = new double[4];
        for (int i = 0; i < 4; i++)
        {
            if (!double.TryParse(match.Groups[i + 1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out v[i])
                || v[i] < 0 || v[i] > 1)
            {
                return null;
            }
        }

        return v[0] < v[2] && v[1] < v[3] ? (v[0], v[1], v[2], v[3]) : null;
    }

    private static int Cell(double value) => Math.Clamp((int)(value * Cells + 1e-9), 0, Cells - 1);

    [GeneratedRegex(@"\[\s*([01]?\.?[0-9]+)\s*,\s*([01]?\.?[0-9]+)\s*,\s*([01]?\.?[0-9]+)\s*,\s*([01]?\.?[0-9]+)\s*\]",
        RegexOptions.CultureInvariant)]
    private static partial Regex Box();
}
