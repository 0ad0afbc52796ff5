using System.Globalization;
using System.Text;
using SkiaSharp;
using VisInstruct.Report;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Report;

public sealed class ReportFiltersTests
{
    [Fact]
    public void The_filters_section_counts_reasons_shares_per_group_and_shows_flagged_thumbnails()
    {
        using var temp = new TempDir();
        string data = Folder(temp);
        string red = Png(temp.File("source", "red.png"), SKColors.Red);
        string blue = Png(temp.File("source", "blue.png"), SKColors.Blue);
        string missing = temp.File("source", "gone.png");
        var lines = new StringBuilder();
        // text: 3 samples, 2 flagged (empty-answer dropped, overlong kept) with whole-number scores.
        lines.AppendLine(Line("k0", "s0", "color", "text", true, true, "empty-answer", 0, images: [red]));
        lines.AppendLine(Line("k1", "s1", "color", "text", true, false, "overlong-answer", 55, detail: "55 words", images: [missing]));
        lines.AppendLine(Line("k2", "s2", "count", "text", false, false, null, 12));
        // blind: parts checked and hits per group; color 3 of 4 answered blind, count 1 of 4.
        lines.AppendLine(Line("k0", "s0", "color", "blind", true, false, "answerable-blind", 1, 2, 2, "said: red", [blue]));
        lines.AppendLine(Line("k1", "s1", "color", "blind", false, false, null, 0.5, 2, 1));
        lines.AppendLine(Line("k2", "s2", "count", "blind", false, false, null, 0.25, 4, 1));
        File.WriteAllText(Path.Combine(data, "filters.jsonl"), lines.ToString());

        var result = CliRunner.Run("report", data, "--out", temp.File("report"));
        Assert.True(result.ExitCode == 0, result.Error);
        string page = File.ReadAllText(temp.File("report", "index.html"));
        Assert.Contains("<a href=\"#filters\">Filters</a>", page, StringComparison.Ordinal);
        string section = page[page.IndexOf("<section id=\"filters\">", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("</section>", StringComparison.Ordinal)];
        // Per filter: samples checked, flagged, dropped.
        Assert.Contains("<tr><td>text</td><td class=\"n\">3</td><td class=\"n\">2</td><td class=\"n\">1</td>", section,
            StringComparison.Ordinal);
        Assert.Contains("<tr><td>blind</td><td class=\"n\">3</td><td class=\"n\">1</td><td class=\"n\">0</td>", section,
            StringComparison.Ordinal);
        // Per reason: flagged, dropped.
        Assert.Contains("<tr><td>empty-answer</td><td class=\"n\">1</td><td class=\"n\">1</td></tr>", section, StringComparison.Ordinal);
        Assert.Contains("<tr><td>overlong-answer</td><td class=\"n\">1</td><td class=\"n\">0</td></tr>", section, StringComparison.Ordinal);
        // Blind share per group: color 3/4, count 1/4, total 4/8.
        Assert.Contains("<tr><td>color</td><td class=\"n\">2</td><td class=\"n\">1</td><td class=\"n\">4</td><td class=\"n\">3</td>"
            + "<td class=\"n\">75.0 %</td></tr>", section, StringComparison.Ordinal);
        Assert.Contains("<td class=\"n\">25.0 %</td>", section, StringComparison.Ordinal);
        Assert.Contains("<tr><td>total</td><td class=\"n\">3</td><td class=\"n\">1</td><td class=\"n\">8</td><td class=\"n\">4</td>"
            + "<td class=\"n\">50.0 %</td></tr>", section, StringComparison.Ordinal);
        // A score histogram per filter with scores, inline SVG.
        Assert.Equal(2, CountOf(section, "<svg"));
        // Thumbnails of the flagged examples that have a file; the missing one gets the placeholder.
        var thumbs = Directory.GetFiles(temp.File("report", FilterSection.ThumbFolder), "*.jpg");
        Assert.Equal(2, thumbs.Length);
        foreach (string thumb in thumbs)
        {
            using var bitmap = SKBitmap.Decode(thumb);
            Assert.NotNull(bitmap);
            Assert.Contains($"src=\"{FilterSection.ThumbFolder}/{Path.GetFileName(thumb)}\"", section, StringComparison.Ordinal);
        }

        Assert.Contains($"title=\"{missing}\">image not found</div>", section, StringComparison.Ordinal);
        Assert.Contains("55 words", section, StringComparison.Ordinal);
        Assert.Contains("said: red", section, StringComparison.Ordinal);
        if (ReportCharts.Available)
        {
            Assert.True(File.Exists(temp.File("report", "charts", "filter-0-scores.png")));
            Assert.True(File.Exists(temp.File("report", "charts", "filter-1-scores.png")));
        }
    }

    [Fact]
    public void Score_bins_are_one_per_whole_number_or_twenty_over_the_unit_interval()
    {
        var whole = new ScoreBins();
        foreach (double v in new[] { 2.0, 3, 3, 6 })
        {
            whole.See(v);
        }

        whole.FixBins();
        foreach (double v in new[] { 2.0, 3, 3, 6 })
        {
            whole.Bin(v);
        }

        Assert.Equal([("2", 1L), ("3", 2L), ("4", 0L), ("5", 0L), ("6", 1L)], whole.Bars());
        var shares = new ScoreBins();
        shares.See(0.1);
        shares.See(1);
        shares.FixBins();
        shares.Bin(0.1);
        shares.Bin(1);
        Assert.Equal(20, shares.Counts.Count);
        Assert.Equal(1, shares.Counts[2]);
        Assert.Equal(1, shares.Counts[19]);
        Assert.Equal("0.1", shares.Label(2));
    }

    [Fact]
    public void A_malformed_filters_file_fails_the_report_naming_the_file_and_line()
    {
        using var temp = new TempDir();
        string data = Folder(temp);
        string filters = Path.Combine(data, "filters.jsonl");
        File.WriteAllText(filters, Line("k0", "s0", "color", "text", false, false, null, 1) + "\n{\"key\": \"k1\", \"id\": \"s1\"}\n");
        var result = CliRunner.Run("report", data, "--out", temp.File("report"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(filters + ":2", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("report")));
    }

    private static string Folder(TempDir temp)
    {
        string data = temp.File("data");
        temp.Write(Path.Combine("data", "llava.json"), """
            [{"id": "s0", "image": "a.png", "conversations": [{"from": "human", "value": "<image>\nWhat colour?"},
              {"from": "gpt", "value": "Red."}]},
             {"id": "s1", "image": "b.png", "conversations": [{"from": "human", "value": "<image>\nHow many?"},
              {"from": "gpt", "value": "Two."}]}]
            """);
        return data;
    }

    private static string Png(string path, SKColor color)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(40, 30);
        bitmap.Erase(color);
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, png.ToArray());
        return path;
    }

    private static string Line(string key, string id, string group, string filter, bool flagged, bool dropped, string? reason,
        double? score, int? parts = null, int? hits = null, string? detail = null, string[]? images = null)
    {
        static string Q(string s) => System.Text.Json.JsonSerializer.Serialize(s);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{{\"key\": {Q(key)}, \"id\": {Q(id)}, \"group\": {Q(group)}, \"filter\": {Q(filter)}, ")
            .Append(CultureInfo.InvariantCulture, $"\"flagged\": {(flagged ? "true" : "false")}, ")
            .Append(CultureInfo.InvariantCulture, $"\"dropped\": {(dropped ? "true" : "false")}, ")
            .Append("\"reason\": ").Append(reason is null ? "null" : Q(reason));
        if (score is { } s)
        {
            sb.Append(CultureInfo.InvariantCulture, $", \"score\": {s}");
        }

        if (parts is { } p)
        {
            sb.Append(CultureInfo.InvariantCulture, $", \"checked\": {p}, \"hits\": {hits ?? 0}");
        }

        if (detail is not null)
        {
            sb.Append(", \"detail\": ").Append(Q(detail));
        }

        if (images is not null)
        {
            sb.Append(", \"images\": [").AppendJoin(", ", images.Select(Q)).Append(']');
        }

        return sb.Append('}').ToString();
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
