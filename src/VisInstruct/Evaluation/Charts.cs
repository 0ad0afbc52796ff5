using ScottPlot;

namespace VisInstruct.Evaluation;

/// <summary>
/// The results folder's charts, drawn with ScottPlot: a bar chart per benchmark (its subtasks or splits) and a radar
/// chart of per-ability scores, each as SVG and PNG. Text needs a font file: <c>VISINSTRUCT_FONT</c>, or a common system
/// font (DejaVu, Liberation, Noto); without one the charts are not drawn and the caller says so.
/// </summary>
public static class Charts
{
    public const string FontVariable = "VISINSTRUCT_FONT";

    private const string Family = "VisInstruct Chart";

    private static readonly string[] KnownFonts =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/noto/NotoSans-Regular.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "C:\\Windows\\Fonts\\arial.ttf",
    ];

    private static readonly Lazy<string?> Font = new(() =>
    {
        string? file = Environment.GetEnvironmentVariable(FontVariable) is { Length: > 0 } set && File.Exists(set)
            ? set : KnownFonts.FirstOrDefault(File.Exists);
        if (file is not null)
        {
            Fonts.AddFontFile(Family, file);
        }

        return file;
    });

    /// <summary>The font file the charts use, or null when none was found.</summary>
    public static string? FontFile => Font.Value;

    /// <summary>A bar chart of <paramref name="bars"/> as <c>&lt;path&gt;.svg</c> and <c>.png</c>; false when no font was found.</summary>
    public static bool Bars(string path, string title, IReadOnlyList<(string Label, double Value)> bars, string unit)
    {
        ArgumentNullException.ThrowIfNull(bars);
        if (Font.Value is null || bars.Count == 0)
        {
            return false;
        }

        var plot = new Plot();
        plot.Font.Set(Family);
        var values = bars.Select(b => double.IsNaN(b.Value) ? 0 : b.Value).ToArray();
        var series = plot.Add.Bars(values);
        foreach (var (bar, i) in series.Bars.Select((b, i) => (b, i)))
        {
            bar.Label = values[i].ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        }

        series.ValueLabelStyle.FontName = Family;
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, bars.Count).Select(i => (double)i)], [.. bars.Select(b => b.Label)]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = bars.Count > 4 ? 40 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = bars.Count > 4 ? Alignment.MiddleLeft : Alignment.UpperCenter;
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel(unit);
        Save(plot, path, Math.Max(480, 60 * bars.Count), 400);
        return true;
    }

    /// <summary>A radar chart of per-ability shares (0 to 1), StableLLaVA's figure; false when no font was found.</summary>
    public static bool Radar(string path, string title, IReadOnlyList<(string Label, double Value)> spokes)
    {
        ArgumentNullException.ThrowIfNull(spokes);
        if (Font.Value is null || spokes.Count < 3)
        {
            return false;
        }

        var plot = new Plot();
        plot.Font.Set(Family);
        double[,] values = new double[1, spokes.Count];
        for (int i = 0; i < spokes.Count; i++)
        {
            values[0, i] = double.IsNaN(spokes[i].Value) ? 0 : spokes[i].Value * 100;
        }

        var radar = plot.Add.Radar(values);
        radar.PolarAxis.SetSpokes([.. spokes.Select(s => s.Label)], 110);
        radar.PolarAxis.SetCircles(100, 4);
        plot.HideGrid();
        plot.Layout.Frameless();
        plot.Axes.SquareUnits();
        plot.Title(title);
        Save(plot, path, 560, 560);
        return true;
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        foreach (string extension in new[] { ".svg", ".png" })
        {
            string file = path + extension;
            string temp = file + ".tmp" + extension;
            if (extension == ".svg")
            {
                plot.SaveSvg(temp, width, height);
            }
            else
            {
                plot.SavePng(temp, width, height);
            }

            File.Move(temp, file, overwrite: true);
        }
    }
}
