using System.Globalization;
using ScottPlot;
using VisInstruct.Evaluation;

namespace VisInstruct.Report;

/// <summary>
/// The report's charts, drawn with ScottPlot as SVG (inlined in the page) and PNG (for papers and slides) under
/// <c>charts/</c>. Text needs the font <see cref="Charts"/> finds; without one no chart files are drawn and the page
/// falls back to its own small SVG bars.
/// </summary>
public sealed class ReportCharts(string folder)
{
    private const string Family = "VisInstruct Report";

    private static readonly Lazy<bool> HasFont = new(() =>
    {
        if (Charts.FontFile is not { } file)
        {
            return false;
        }

        Fonts.AddFontFile(Family, file);
        return true;
    });

    public static bool Available => HasFont.Value;

    /// <summary>The chart files written, relative to the report folder.</summary>
    public List<string> Files { get; } = [];

    /// <summary>Bars of <paramref name="bars"/>; returns the SVG text, or null without a font.</summary>
    public string? Bars(string name, string title, IReadOnlyList<(string Label, long Value)> bars, string yLabel)
    {
        ArgumentNullException.ThrowIfNull(bars);
        if (!Available || bars.Count == 0)
        {
            return null;
        }

        var plot = NewPlot(title);
        var values = bars.Select(b => (double)b.Value).ToArray();
        var series = plot.Add.Bars(values);
        for (int i = 0; i < series.Bars.Count; i++)
        {
            series.Bars[i].Label = bars[i].Value.ToString(CultureInfo.InvariantCulture);
        }

        series.ValueLabelStyle.FontName = Family;
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, bars.Count).Select(i => (double)i)], [.. bars.Select(b => b.Label)]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = bars.Count > 4 ? 40 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = bars.Count > 4 ? Alignment.MiddleLeft : Alignment.UpperCenter;
        plot.Axes.Margins(bottom: 0, top: 0.12); // room for the value labels above the bars
        plot.Axes.Left.TickGenerator = CountTicks();
        plot.YLabel(yLabel);
        // Rotated labels need room below the axis (ScottPlot sizes the panel for upright text).
        int room = bars.Count > 4 ? Math.Min(bars.Max(b => b.Label.Length), 30) * 7 + 16 : 0;
        if (room > 0)
        {
            plot.Axes.Bottom.MinimumSize = room;
        }

        return Save(plot, name, Math.Clamp(60 * bars.Count, 480, 1400), 360 + room);
    }

    /// <summary>A histogram's bins as bars; returns the SVG text, or null without a font or values.</summary>
    public string? Histogram(string name, Histogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (!Available || histogram.Count == 0)
        {
            return null;
        }

        int used = histogram.UsedBins;
        return Bins(name, string.Create(CultureInfo.InvariantCulture,
                $"{histogram.Name} ({histogram.Unit}; mean {histogram.Mean:0.0}, max {histogram.Max})"),
            [.. Enumerable.Range(0, used).Select(i => (histogram.Label(i), histogram.Bins[i]))], histogram.Unit, "count");
    }

    /// <summary>A histogram's bins (labelled) as touching bars; returns the SVG text, or null without a font or bins.</summary>
    public string? Bins(string name, string title, IReadOnlyList<(string Label, long Value)> bins, string xLabel,
        string yLabel = "samples")
    {
        ArgumentNullException.ThrowIfNull(bins);
        if (!Available || bins.Count == 0)
        {
            return null;
        }

        var plot = NewPlot(title);
        var series = plot.Add.Bars(bins.Select(b => (double)b.Value).ToArray());
        foreach (var bar in series.Bars)
        {
            bar.Size = 0.9;
        }

        int step = Math.Max(1, bins.Count / 10);
        var ticks = Enumerable.Range(0, bins.Count).Where(i => i % step == 0).ToList();
        plot.Axes.Bottom.SetTicks([.. ticks.Select(i => (double)i)], [.. ticks.Select(i => bins[i].Label)]);
        plot.Axes.Margins(bottom: 0);
        plot.Axes.Left.TickGenerator = CountTicks();
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return Save(plot, name, 640, 340);
    }

    // Counts are whole numbers: no tick at 0.5 of a sample.
    private static ScottPlot.TickGenerators.NumericAutomatic CountTicks() => new() { IntegerTicksOnly = true };

    /// <summary>A heat map of <paramref name="cells"/> ([row, column], row 0 at the top); PNG only (the page draws its own SVG).</summary>
    public void HeatMap(string name, string title, long[,] cells, string xLabel, string yLabel)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (!Available)
        {
            return;
        }

        var plot = NewPlot(title);
        int rows = cells.GetLength(0), columns = cells.GetLength(1);
        var values = new double[rows, columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                values[r, c] = cells[r, c];
            }
        }

        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        // Row 0 is the image's top: the y axis runs downwards, as image coordinates do, so the map reads like the picture.
        map.Extent = new CoordinateRect(0, 1, 0, 1);
        plot.Axes.InvertY();
        plot.Add.ColorBar(map);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        string png = Path.Combine(folder, name + ".png");
        plot.SavePng(png, 520, 460);
        Files.Add(Path.GetRelativePath(Path.GetDirectoryName(folder)!, png));
    }

    private static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Font.Set(Family);
        plot.Title(title);
        return plot;
    }

    private string Save(Plot plot, string name, int width, int height)
    {
        Directory.CreateDirectory(folder);
        string svg = Path.Combine(folder, name + ".svg");
        string png = Path.Combine(folder, name + ".png");
        plot.SaveSvg(svg, width, height);
        plot.SavePng(png, width, height);
        string parent = Path.GetDirectoryName(folder)!;
        Files.Add(Path.GetRelativePath(parent, svg));
        Files.Add(Path.GetRelativePath(parent, png));
        return File.ReadAllText(svg);
    }
}
