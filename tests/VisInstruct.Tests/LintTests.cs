using System.Text.Json;
using VisInstruct.Lint;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

public class LintTests
{
    private static LintReport Lint(string content, LintOptions? options = null)
    {
        using var temp = new TempDir();
        return LlavaLinter.Lint(temp.Write("train.json", content), options);
    }

    private static LintFinding Single(LintReport report, string check) => Assert.Single(report.Findings, f => f.Check == check);

    private const string Good = "{\"id\": \"a\", \"image\": \"a.jpg\", \"conversations\": [{\"from\": \"human\", \"value\": "
        + "\"<image>\\nWhat is it?\"}, {\"from\": \"gpt\", \"value\": \"A cat.\"}]}";

    [Fact]
    public void CleanFile_HasNoFindings()
    {
        var report = Lint("[" + Good + ", {\"id\": \"t\", \"conversations\": [{\"from\": \"human\", \"value\": \"Hi\"}, {\"from\": "
            + "\"gpt\", \"value\": \"Hello\"}]}]");
        Assert.Equal("2 samples, 0 errors, 0 warnings", report.Summary);
    }

    [Fact]
    public void ReferenceTrainingSample_IsClean()
    {
        var result = CliRunner.Run("lint", Paths.External("llava", "training_format_sample", "llava_test_CQM-A.first5.json"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("5 samples, 0 errors, 0 warnings", result.Out.Trim());
    }

    [Theory]
    [InlineData("{\"image\": \"a.jpg\", \"conversations\": []}", "id.missing", "")]
    [
        InlineData("{\"id\": [1], \"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}",
        "id.type", "id")]
    [InlineData("{\"id\": \"x\"}", "conversations.missing", "")]
    [InlineData("{\"id\": \"x\", \"conversations\": {}}", "conversations.type", "conversations")]
    [InlineData("{\"id\": \"x\", \"conversations\": []}", "conversations.empty", "conversations")]
    [InlineData("{\"id\": \"x\", \"conversations\": [\"hi\"]}", "turn.not-object", "conversations[0]")]
    [InlineData("{\"id\": \"x\", \"conversations\": [{\"value\": \"q\"}]}", "turn.from-missing", "conversations[0]")]
    [
        InlineData(
        "{\"id\": \"x\", \"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"assistant\", \"value\": \"a\"}]}",
        "turn.from-invalid", "conversations[1].from")]
    [
        InlineData("{\"id\": \"x\", \"conversations\": [{\"from\": \"human\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}",
        "turn.value-missing", "conversations[0]")]
    [
        InlineData("{\"id\": \"x\", \"conversations\": [{\"from\": \"human\", \"value\": 3}, {\"from\": \"gpt\", \"value\": \"a\"}]}",
        "turn.value-type", "conversations[0].value")]
    [InlineData("{\"id\": \"x\", \"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"human\", \"value\": \"q2\"}, "
        + "{\"from\": \"gpt\", \"value\": \"a\"}]}", "turns.alternation", "conversations[1].from")]
    [InlineData("{\"id\": \"x\", \"image\": \"a.jpg\", \"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\", "
        + "\"value\": \"a\"}]}", "image.token-missing", "conversations")]
    [InlineData("{\"id\": \"x\", \"conversations\": [{\"from\": \"human\", \"value\": \"<image>\\nq\"}, {\"from\": \"gpt\", \"value\": "
        + "\"a\"}]}", "image.token-unexpected", "conversations")]
    [InlineData("{\"id\": \"x\", \"image\": \"a.jpg\", \"conversations\": [{\"from\": \"human\", \"value\": \"<image>\\nq\"}, "
        + "{\"from\": \"gpt\", \"value\": \"a\"}, {\"from\": \"human\", \"value\": \"<image>\\nq\"}, {\"from\": \"gpt\", \"value\": "
        + "\"a\"}]}", "image.token-count", "conversations")]
    [InlineData("{\"id\": \"x\", \"image\": [\"a.jpg\", \"b.jpg\"], \"conversations\": [{\"from\": \"human\", \"value\": "
        + "\"<image>\\nq\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}", "image.token-count", "conversations")]
    [InlineData("{\"id\": \"x\", \"image\": \"../../etc/passwd\", \"conversations\": [{\"from\": \"human\", \"value\": "
        + "\"<image>\\nq\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}", "image.path", "image")]
    [InlineData("{\"id\": \"x\", \"image\": [\"a.jpg\", \"/abs.jpg\"], \"conversations\": [{\"from\": \"human\", \"value\": "
        + "\"<image>\\n<image>\\nq\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}", "image.path", "image[1]")]
    [InlineData("{\"id\": \"x\", \"image\": 5, \"conversations\": [{\"from\": \"human\", \"value\": \"<image>\\nq\"}, {\"from\": "
        + "\"gpt\", \"value\": \"a\"}]}", "image.type", "image")]
    [InlineData("{\"id\": \"x\", \"image\": [], \"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\", "
        + "\"value\": \"a\"}]}", "image.empty", "image")]
    [InlineData("{\"id\": \"x\", \"conversations\": [{\"from\": \"gpt\", \"value\": \"a\"}]}", "turns.alternation", "conversations")]
    [InlineData("5", "sample.not-object", "")]
    public void EachError_IsFoundWithItsSampleAndField(string sample, string check, string field)
    {
        var report = Lint("[" + Good + ",\n" + sample + "]");
        var finding = Single(report, check);
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Equal(1, finding.SampleIndex);
        Assert.Equal(field.Length == 0 ? null : field, finding.Field);
        Assert.Equal(2, finding.Position!.Value.Line);
        if (sample.Contains("\"id\": \"x\"", StringComparison.Ordinal))
        {
            Assert.Equal("x", finding.SampleId);
        }

        Assert.True(report.Errors >= 1);
    }

    [Theory]
    [
        InlineData("{\"id\": 17, \"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}",
        "id.number")]
    [
        InlineData("{\"id\": \"a\", \"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}",
        "id.duplicate")]
    [
        InlineData("{\"id\": \"x\", \"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\", \"value\": \"  \"}]}",
        "turn.value-empty")]
    [InlineData("{\"id\": \"x\", \"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\", \"value\": \"a\"}, "
        + "{\"from\": \"human\", \"value\": \"more?\"}]}", "turns.ends-with-human")]
    [InlineData("{\"id\": \"x\", \"conversations\": [{\"from\": \"gpt\", \"value\": \"hello\"}, {\"from\": \"human\", \"value\": "
        + "\"q\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}", "turns.first-not-human")]
    [InlineData("{\"id\": \"x\", \"image\": \"a.jpg\", \"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\", "
        + "\"value\": \"<image> a\"}]}", "image.token-in-gpt")]
    public void EachWarning_IsFound(string sample, string check)
    {
        var report = Lint("[" + Good + ",\n" + sample + "]");
        var finding = Single(report, check);
        Assert.Equal(LintSeverity.Warning, finding.Severity);
        Assert.Equal(1, finding.SampleIndex);
    }

    private const string MultiImage = "{\"id\": \"m\", \"image\": [\"a.jpg\", \"b.jpg\"], \"conversations\": [{\"from\": "
        + "\"human\", \"value\": \"<image>\\nFirst.\"}, {\"from\": \"gpt\", \"value\": \"ok\"}, {\"from\": \"human\", "
        + "\"value\": \"<image>\\nWhat changed?\"}, {\"from\": \"gpt\", \"value\": \"The colour.\"}]}";

    private static readonly LintOptions OneVision = new() { Trainer = LintTrainer.OneVision };

    [Fact]
    public void MultiImageSample_WithOneTokenPerImage_IsCleanForOneVision()
    {
        var report = Lint("[" + MultiImage + "]", OneVision);
        Assert.Equal(0, report.Errors + report.Warnings);
    }

    [Fact]
    public void ListValuedImage_IsAnErrorForLlava15_NamingTheSampleAndField()
    {
        var report = Lint("[" + Good + ",\n" + MultiImage + "]");
        var finding = Single(report, "image.list");
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Equal(1, finding.SampleIndex);
        Assert.Equal("m", finding.SampleId);
        Assert.Equal("image", finding.Field);
        Assert.Equal(2, finding.Position!.Value.Line);
        Assert.Equal(1, report.Errors);

        // A list of one path is still a list: train.py would pass it to os.path.join.
        var one = Lint("[{\"id\": \"o\", \"image\": [\"a.jpg\"], \"conversations\": [{\"from\": \"human\", \"value\": "
            + "\"<image>\\nq\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}]");
        Assert.Equal("image.list", Assert.Single(one.Findings).Check);
        Assert.Empty(Lint("[" + Good + "]", OneVision).Findings);
    }

    [Theory]
    [InlineData("\"<image>\\nq\"", 1)]
    [InlineData("\"<image>\\n<image>\\n<image>\\nq\"", 3)]
    public void OneVision_ReportsATokenCountThatDiffersFromTheImages(string question, int tokens)
    {
        var report = Lint("[{\"id\": \"m\", \"image\": [\"a.jpg\", \"b.jpg\"], \"conversations\": [{\"from\": \"human\", "
            + "\"value\": " + question + "}, {\"from\": \"gpt\", \"value\": \"a\"}]}]", OneVision);
        var finding = Single(report, "image.token-count");
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Equal("m", finding.SampleId);
        Assert.StartsWith(tokens + " <image> tokens for 2 image(s)", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Check == "image.list");
    }

    [Fact]
    public void Cli_Trainer_ChoosesTheRules()
    {
        using var temp = new TempDir();
        string file = temp.Write("multi.json", "[" + MultiImage + "]");
        var strict = CliRunner.Run("lint", file);
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("error [image.list] sample 0 (id \"m\"), field image:", strict.Out, StringComparison.Ordinal);
        Assert.Equal(1, CliRunner.Run("lint", file, "--trainer", "llava-1.5").ExitCode);
        var interleave = CliRunner.Run("lint", file, "--trainer", "onevision");
        Assert.Equal(0, interleave.ExitCode);
        Assert.Equal("1 samples, 0 errors, 0 warnings", interleave.Out.Trim());
        Assert.Equal(2, CliRunner.Run("lint", file, "--trainer", "llava-2").ExitCode);
    }

    [Fact]
    public void ImageFolder_FindsMissingAndUnreadableImages()
    {
        using var temp = new TempDir();
        File.Copy(Paths.Data("image_headers", "baseline.jpg"), temp.File("ok.jpg"));
        temp.Write("broken.jpg", "not an image");
        string file = temp.Write("train.json", "[" + string.Join(", ", new[] { "ok.jpg", "broken.jpg", "gone.jpg" }.Select(img =>
            "{\"id\": \"" + img + "\", \"image\": \"" + img
                + "\", \"conversations\": [{\"from\": \"human\", \"value\": \"<image>\\nq\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}"))
                + "]");
        var report = LlavaLinter.Lint(file, new LintOptions { ImageFolder = temp.Path });
        Assert.Equal(3, report.ImagesChecked);
        Assert.Equal("broken.jpg", Single(report, "image.unreadable").SampleId);
        Assert.Equal("gone.jpg", Single(report, "image.missing").SampleId);
        Assert.Equal(2, report.Errors);
    }

    [Fact]
    public void PlainMode_NeedsTwoTurnsAndTheTokenFirst()
    {
        var report = Lint("[" + Good + ", {\"id\": \"y\", \"image\": \"b.jpg\", \"conversations\": [{\"from\": \"human\", \"value\": "
            + "\"q\"}, {\"from\": \"gpt\", \"value\": \"<image>\"}]}, " +
            "{\"id\": \"z\", \"image\": \"c.jpg\", \"conversations\": [{\"from\": \"human\", \"value\": \"<image>\"}, {\"from\": "
                + "\"gpt\", \"value\": \"a\"}, {\"from\": \"human\", \"value\": \"b\"}, {\"from\": \"gpt\", \"value\": \"c\"}]}]",
            new LintOptions { Plain = true });
        Assert.Equal("y", Single(report, "plain.token").SampleId);
        Assert.Equal("z", Single(report, "plain.turns").SampleId);
    }

    [Fact]
    public void JsonLinesAndByteOrderMark_AreReported()
    {
        Assert.Equal(LintSeverity.Warning,
            Single(Lint(Good + "\n" + Good.Replace("\"a\"", "\"b\"", StringComparison.Ordinal) + "\n"), "file.jsonl").Severity);
        Assert.Equal(LintSeverity.Error, Single(Lint("\uFEFF[" + Good + "]"), "file.bom").Severity);
    }

    [Fact]
    public void Cli_PrintsFindingsWithFileLineAndField_ThenTheSummary_AndExits1()
    {
        using var temp = new TempDir();
        string file = temp.Write("t.json",
            "[" + Good
            + ",\n{\"id\": \"x\", \"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"bot\", \"value\": \"a\"}]}]");
        var result = CliRunner.Run("lint", file);
        Assert.Equal(1, result.ExitCode);
        string[] lines = result.Out.Trim().Split('\n');
        Assert.Equal(file + ":2:73: error [turn.from-invalid] sample 1 (id \"x\"), field conversations[1].from: \"from\" must be "
            + "\"human\" or \"gpt\", found a string (\"bot\")", lines[0]);
        Assert.Equal("2 samples, 1 errors, 0 warnings", lines[^1]);
    }

    [Fact]
    public void Cli_Json_IsAMachineReadableReport()
    {
        using var temp = new TempDir();
        string file = temp.Write("t.json", "[" + Good + ", " + Good + "]");
        var result = CliRunner.Run("lint", file, "--json");
        Assert.Equal(0, result.ExitCode);
        using var report = JsonDocument.Parse(result.Out);
        Assert.Equal(2, report.RootElement.GetProperty("samples").GetInt32());
        Assert.Equal(1, report.RootElement.GetProperty("warnings").GetInt32());
        var finding = report.RootElement.GetProperty("findings")[0];
        Assert.Equal("id.duplicate", finding.GetProperty("check").GetString());
        Assert.Equal(1, finding.GetProperty("sample_index").GetInt32());
        Assert.Equal("id", finding.GetProperty("field").GetString());
    }

    [Fact]
    public void Cli_InvalidJson_Exits2WithThePosition()
    {
        using var temp = new TempDir();
        string file = temp.Write("t.json", "[" + Good + ",\n{\"id\": }]");
        var result = CliRunner.Run("lint", file);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(file + ":2:8", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_MaxFindings_CapsWhatIsShownButCountsAll()
    {
        using var temp = new TempDir();
        string file = temp.Write("t.json",
            "["
            + string.Join(", ",
            Enumerable.Repeat(
            "{\"id\": \"d\", \"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}", 6))
            + "]");
        var result = CliRunner.Run("lint", file, "--max-findings", "2");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.Out.Split('\n').Count(l => l.Contains("[id.duplicate]", StringComparison.Ordinal)));
        Assert.Contains("3 more findings not shown", result.Out, StringComparison.Ordinal);
        Assert.EndsWith("6 samples, 0 errors, 5 warnings", result.Out.Trim(), StringComparison.Ordinal);
    }
}
