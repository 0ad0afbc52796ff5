using System.Text.Json;
using SkiaSharp;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Report;

public sealed class ReportCommandTests
{
    [Fact]
    public void Report_of_a_generated_folder_holds_every_sample_once_with_the_counts_of_its_training_files()
    {
        using var temp = new TempDir();
        string report = temp.File("report");
        var result = CliRunner.Run("report", ReportFixture.Dataset, "--out", report);
        Assert.True(result.ExitCode == 0, result.Error);
        var expected = ReportFixture.Samples();
        Assert.Equal(10 * ReportFixture.PerAbility, expected.Count);

        var all = ReportFixture.Chunks(report, "all");
        Assert.Equal(expected.Select(s => s.Id), all.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(expected.Select(s => s.Images), all.Select(r => (IReadOnlyList<string>)[.. r.GetProperty("im").EnumerateArray()
            .Select(i => i.GetProperty("p").GetString()!)]));

        // Each group's own chunks hold exactly its samples, and the page's index says how many.
        var index = ReportFixture.Index(report);
        Assert.Equal(expected.Count, index.GetProperty("total").GetInt32());
        var byAbility = expected.GroupBy(s => ReportFixture.Ability(s.Id)).ToDictionary(g => g.Key, g => g.Select(s => s.Id).ToList());
        var groups = index.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(byAbility.Keys.Order(StringComparer.Ordinal), groups.Select(g => g.GetProperty("name").GetString()));
        foreach (var group in groups)
        {
            var ids = ReportFixture.Chunks(report, group.GetProperty("key").GetString()!)
                .Select(r => r.GetProperty("id").GetString()!).ToList();
            Assert.Equal(byAbility[group.GetProperty("name").GetString()!], ids);
            Assert.Equal(ids.Count, group.GetProperty("count").GetInt32());
        }

        // The counts table shows the same numbers.
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        foreach (var (ability, ids) in byAbility)
        {
            Assert.Contains($"<tr data-group=\"{ability}\"><td class=\"group\">{ability}</td><td class=\"n count\">{ids.Count}</td>", html,
                StringComparison.Ordinal);
        }

        Assert.Contains($"<th class=\"n\" id=\"total-count\">{expected.Count}</th>", html, StringComparison.Ordinal);
        Assert.Contains("report: " + Path.Combine(report, "index.html"), result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_fetches_nothing_from_another_host_and_its_thumbnails_and_charts_are_real_images()
    {
        using var temp = new TempDir();
        string report = temp.File("report");
        Assert.Equal(0, CliRunner.Run("report", ReportFixture.Dataset, "--out", report).ExitCode);
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        // Only SVG's namespace names a URL; nothing is loaded from one.
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"stylesheet\"", html, StringComparison.Ordinal);

        var all = ReportFixture.Chunks(report, "all");
        var thumbs = all.SelectMany(r => r.GetProperty("im").EnumerateArray()).Select(i => i.GetProperty("t").GetString()!).ToList();
        int distinctImages = ReportFixture.Samples().SelectMany(s => s.Images).Distinct(StringComparer.Ordinal).Count();
        Assert.Equal(distinctImages, thumbs.Distinct(StringComparer.Ordinal).Count());
        foreach (string thumb in thumbs.Distinct(StringComparer.Ordinal).Take(40))
        {
            using var bitmap = SKBitmap.Decode(Path.Combine(report, thumb));
            Assert.NotNull(bitmap);
            Assert.Equal(160, Math.Max(bitmap.Width, bitmap.Height));
        }

        // The provenance's prompt is shown with the image it made.
        var first = all[0].GetProperty("im")[0];
        string provenanceLine = File.ReadLines(Path.Combine(ReportFixture.Dataset, "images", "provenance.jsonl"))
            .First(l => l.Contains($"\"file\": \"{first.GetProperty("p").GetString()}\"", StringComparison.Ordinal));
        using var provenance = JsonDocument.Parse(provenanceLine);
        Assert.Equal(provenance.RootElement.GetProperty("image").GetProperty("prompt").GetString(),
            first.GetProperty("pv").GetProperty("prompt").GetString());

        if (VisInstruct.Evaluation.Charts.FontFile is not null)
        {
            string[] names = ["groups", "kinds", "turns", "question-words", "answer-words", "question-tokens", "answer-tokens"];
            foreach (string chart in names)
            {
                using var png = SKBitmap.Decode(Path.Combine(report, "charts", chart + ".png"));
                Assert.True(png is { Width: > 100, Height: > 100 }, chart);
                Assert.Contains(File.ReadAllText(Path.Combine(report, "charts", chart + ".svg"))[..40], html, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_failed_report_leaves_the_previous_one_and_names_the_bad_record()
    {
        using var temp = new TempDir();
        string file = temp.File("data", "llava.json");
        Directory.CreateDirectory(temp.File("data"));
        File.Copy(Path.Combine(ReportFixture.Dataset, "llava.json"), file);
        var first = CliRunner.Run("report", file, "--image-folder", ReportFixture.Dataset);
        Assert.True(first.ExitCode == 0, first.Error);
        string report = temp.File("data", "report");
        string page = File.ReadAllText(Path.Combine(report, "index.html"));
        Assert.Equal(ReportFixture.Samples().Count(s => s.Images.Count == 1), ReportFixture.Index(report).GetProperty("total").GetInt32());

        // The second record loses its conversations' "from".
        string text = File.ReadAllText(file);
        int second = text.IndexOf("}]}, {", StringComparison.Ordinal) + 4;
        int from = text.IndexOf("\"from\"", second, StringComparison.Ordinal);
        File.WriteAllText(file, text[..from] + "\"frm\"" + text[(from + 6)..]);
        var failed = CliRunner.Run("report", file, "--image-folder", ReportFixture.Dataset);
        Assert.Equal(2, failed.ExitCode);
        Assert.Contains(file + ":1:", failed.Error, StringComparison.Ordinal);
        Assert.Contains("conversations[0]", failed.Error, StringComparison.Ordinal);
        Assert.Equal(page, File.ReadAllText(Path.Combine(report, "index.html")));
        Assert.Equal(["llava.json", "report"], Directory.EnumerateFileSystemEntries(temp.File("data")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void The_temporary_folders_a_killed_report_left_are_removed_by_the_next_report()
    {
        using var temp = new TempDir();
        string file = temp.File("data", "llava.json");
        Directory.CreateDirectory(temp.File("data"));
        File.Copy(Path.Combine(ReportFixture.Dataset, "llava.json"), file);
        // A dead process of this host (no process has the largest id) and a live one (this test's) each left one.
        string host = VisInstruct.IO.StagedOutput.TempName("x").Split(".tmp-")[1].Split('-')[0];
        string dead = temp.File("data", $".report.tmp-{host}-{int.MaxValue}-abcd1234.xyz");
        string live = temp.File("data", VisInstruct.IO.StagedOutput.TempName("report"));
        temp.Write(Path.Combine("data", Path.GetFileName(dead), "index.html"), "half a page");
        temp.Write(Path.Combine("data", Path.GetFileName(live), "index.html"), "a report being written");
        var run = CliRunner.Run("report", file, "--image-folder", ReportFixture.Dataset, "--no-thumbnails");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(live));
        Assert.True(File.Exists(temp.File("data", "report", "index.html")));
    }

    [Fact]
    public void A_report_is_not_written_over_the_dataset_or_a_folder_that_is_not_a_report()
    {
        using var temp = new TempDir();
        var over = CliRunner.Run("report", ReportFixture.Dataset, "--out", ReportFixture.Dataset);
        Assert.Equal(2, over.ExitCode);
        Assert.Contains("must be a folder of its own", over.Error, StringComparison.Ordinal);
        temp.Write("mine/notes.txt", "keep me");
        var foreign = CliRunner.Run("report", ReportFixture.Dataset, "--out", temp.File("mine"));
        Assert.Equal(2, foreign.ExitCode);
        Assert.Contains("not an earlier report", foreign.Error, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(temp.File("mine", "notes.txt")));
        var missing = CliRunner.Run("report", temp.File("nothing-here"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no such file or folder", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_render_folder_gets_a_report_of_its_images_and_prompts()
    {
        using var temp = new TempDir();
        string render = temp.File("render");
        var rendered = CliRunner.Run("render", "--prompt-path", Path.Combine(ReportFixture.Dataset, "stablellava", "color.json"),
            "--save-path", render, "--quiet");
        Assert.True(rendered.ExitCode == 0, rendered.Error);
        var result = CliRunner.Run("report", render);
        Assert.True(result.ExitCode == 0, result.Error);
        var lines = File.ReadLines(Path.Combine(render, "provenance.jsonl")).Select(l => JsonDocument.Parse(l)).ToList();
        var records = ReportFixture.Chunks(Path.Combine(render, "report"), "all");
        Assert.Equal(lines.Count, records.Count);
        for (int i = 0; i < lines.Count; i++)
        {
            var image = records[i].GetProperty("im")[0];
            Assert.Equal(lines[i].RootElement.GetProperty("file").GetString(), image.GetProperty("p").GetString());
            Assert.Equal(lines[i].RootElement.GetProperty("prompt").GetString(), image.GetProperty("pv").GetProperty("prompt").GetString());
            Assert.Empty(records[i].GetProperty("c").EnumerateArray());
            lines[i].Dispose();
        }

        string html = File.ReadAllText(Path.Combine(render, "report", "index.html"));
        Assert.Contains("a render folder: no dialogues", html, StringComparison.Ordinal);
    }
}
