using System.Globalization;
using System.Net;
using System.Text;

namespace VisInstruct.Report;

/// <summary>
/// Small hand-written SVG for the page: heat maps (a grid of cells shaded by count, smaller than a chart library's
/// image) and plain bars where no chart font is found.
/// </summary>
internal static class Svg
{
    /// <summary>A heat map of <paramref name="cells"/> ([row, column], row 0 at the top), with its axis labels.</summary>
    public static string HeatMap(string title, long[,] cells, string xLabel, string yLabel)
    {
        ArgumentNullException.ThrowIfNull(cells);
        int rows = cells.GetLength(0), columns = cells.GetLength(1);
        const int cell = 14, left = 34, top = 26;
        long max = 1;
        foreach (long v in cells)
        {
            max = Math.Max(max, v);
        }

        int width = left + columns * cell + 10, height = top + rows * cell + 34;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" ")
            .Append(CultureInfo.InvariantCulture, $"viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{Encode(title)}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"16\" font-size=\"13\">{Encode(title)}</text>");
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                double share = Math.Sqrt((double)cells[r, c] / max);
                int light = (int)Math.Round(97 - share * 62);
                sb.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{left + c * cell}\" y=\"{top + r * cell}\" width=\"{cell}\" height=\"{cell}\" ")
                    .Append(CultureInfo.InvariantCulture, $"fill=\"hsl(215,70%,{light}%)\">")
                    .Append(CultureInfo.InvariantCulture, $"<title>{cells[r, c]}</title></rect>");
            }
        }

        int bottom = top + rows * cell;
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{bottom + 14}\" font-size=\"11\">0</text>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{left + columns * cell - 6}\" y=\"{bottom + 14}\" font-size=\"11\">1</text>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{left + columns * cell / 2}\" y=\"{bottom + 28}\" font-size=\"12\" ")
            .Append(CultureInfo.InvariantCulture, $"text-anchor=\"middle\">{Encode(xLabel)}</text>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{top + 10}\" font-size=\"11\" text-anchor=\"end\">0</text>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{bottom}\" font-size=\"11\" text-anchor=\"end\">1</text>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"12\" y=\"{top + rows * cell / 2}\" font-size=\"12\" text-anchor=\"middle\" ")
            .Append(CultureInfo.InvariantCulture, $"transform=\"rotate(-90 12 {top + rows * cell / 2})\">{Encode(yLabel)}</text>");
        return sb.Append("</svg>").ToString();
    }

    /// <summary>Vertical bars with a label under each (rotated) and the count above.</summary>
    public static string Bars(string title, IReadOnlyList<(string Label, long Value)> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        const int bar = 22, gap = 6, left = 10, top = 28, plotHeight = 160;
        long max = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Value));
        int width = left + bars.Count * (bar + gap) + 20, height = top + plotHeight + 110;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" ")
            .Append(CultureInfo.InvariantCulture, $"viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{Encode(title)}\">")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"16\" font-size=\"13\">{Encode(title)}</text>");
        for (int i = 0; i < bars.Count; i++)
        {
            int h = (int)Math.Round((double)bars[i].Value / max * plotHeight);
            int x = left + i * (bar + gap), y = top + plotHeight - h;
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{bar}\" height=\"{h}\" fill=\"#3b6fb6\">")
                .Append(CultureInfo.InvariantCulture, $"<title>{Encode(bars[i].Label)}: {bars[i].Value}</title></rect>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + bar / 2}\" y=\"{y - 3}\" font-size=\"9\" text-anchor=\"middle\">")
                .Append(CultureInfo.InvariantCulture, $"{bars[i].Value}</text>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + bar / 2}\" y=\"{top + plotHeight + 10}\" font-size=\"10\" ")
                .Append(CultureInfo.InvariantCulture, $"transform=\"rotate(50 {x + bar / 2} {top + plotHeight + 10})\">")
                .Append(Encode(bars[i].Label.Length > 18 ? bars[i].Label[..17] + "…" : bars[i].Label)).Append("</text>");
        }

        return sb.Append("</svg>").ToString();
    }

    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}
