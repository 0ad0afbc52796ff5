using System.Text.Json;
using VisInstruct.Datasets;
using VisInstruct.Export;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Export;

/// <summary>
/// Planted bad records are refused by reason and listed; the exit code follows --max-refused-ratio; usage and input
/// errors exit 2.
/// </summary>
public class ExportRefusalTests(ExportFixture data) : IClassFixture<ExportFixture>
{
    private static readonly byte[] Gif =
    [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x21,
        0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44,
        0x01, 0x00, 0x3B,
    ];

    private static string Record(string id, string? image, params (string From, string Value)[] turns) => JsonSerializer.Serialize(
        new Dictionary<string, object?>
        {
            ["id"] = id, ["image"] = image,
            ["conversations"] = turns.Select(t => new Dictionary<string, string> { ["from"] = t.From, ["value"] = t.Value }).ToList(),
        });

    /// <summary>A LLaVA JSONL file with two good records and one of each problem, and its image folder.</summary>
    private string Planted(TempDir temp)
    {
        temp.Write("imgs/coco/a.jpg", File.ReadAllBytes(data.ImageFiles[data.Samples[0].Id][0]));
        temp.Write("imgs/coco/b.gif", Gif);
        temp.Write("imgs/coco/broken.jpg", "not an image");
        var lines = new[]
        {
            Record("good-1", "coco/a.jpg", ("human", "<image>\nWhat is it?"), ("gpt", "Shapes.")),
            Record("tokens", "coco/a.jpg", ("human", "What is it?"), ("gpt", "Shapes.")),
            Record("missing", "coco/none.jpg", ("human", "<image>\nWhat is it?"), ("gpt", "Shapes.")),
            Record("answer-token", "coco/a.jpg", ("human", "<image>\nWhat?"), ("gpt", "<image> shapes")),
            Record("roles", "coco/a.jpg", ("gpt", "<image>\nWhat?"), ("human", "Shapes.")),
            Record("empty", "coco/a.jpg", ("human", "<image>\n "), ("gpt", "Shapes.")),
            Record("question-last", "coco/a.jpg", ("human", "<image>\nWhat?")),
            Record("broken", "coco/broken.jpg", ("human", "<image>\nWhat?"), ("gpt", "Shapes.")),
            Record("climbs", "../a.jpg", ("human", "<image>\nWhat?"), ("gpt", "Shapes.")),
            Record("gif", "coco/b.gif", ("human", "<image>\nWhat?"), ("gpt", "A dot.")),
            Record("good-2", null, ("human", "Hello?"), ("gpt", "Hi.")),
        };
        return temp.Write("train.jsonl", string.Join("\n", lines) + "\n");
    }

    private static List<JsonElement> Refused(string path) =>
        [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement)];

    [Fact]
    public void EachPlantedRecord_IsRefusedByItsReason_AndListed()
    {
        using var temp = new TempDir();
        string file = Planted(temp);
        var run = CliRunner.Run("export", file, "--image-folder", temp.File("imgs"), "--format", "sharegpt", "--out", temp.File("lf"),
            "--max-refused-ratio", "1");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var refused = Refused(temp.File("lf", "refused.jsonl")).ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal(SampleProblem.TokenCount, refused["tokens"].GetProperty("reason").GetString());
        Assert.Equal(SampleProblem.ImageMissing, refused["missing"].GetProperty("reason").GetString());
        Assert.Equal(SampleProblem.TokenInAnswer, refused["answer-token"].GetProperty("reason").GetString());
        Assert.Equal("conversations[1].value", refused["answer-token"].GetProperty("field").GetString());
        Assert.Equal(SampleProblem.Roles, refused["roles"].GetProperty("reason").GetString());
        Assert.Equal(SampleProblem.EmptyTurn, refused["empty"].GetProperty("reason").GetString());
        Assert.Equal(SampleProblem.NoAnswer, refused["question-last"].GetProperty("reason").GetString());
        Assert.Equal(SampleProblem.ImageUnreadable, refused["broken"].GetProperty("reason").GetString());
        Assert.Equal(SampleProblem.ImagePath, refused["climbs"].GetProperty("reason").GetString());
        Assert.Equal(8, refused.Count);
        Assert.Equal(2, refused["missing"].GetProperty("index").GetInt64());
        Assert.Equal(file, refused["missing"].GetProperty("file").GetString());
        Assert.Contains("image-missing: 1", run.Out, StringComparison.Ordinal);
        Assert.Contains("exported 3 of 11 samples", run.Out, StringComparison.Ordinal);
        using var written = JsonDocument.Parse(File.ReadAllBytes(temp.File("lf", "lf.json")));
        Assert.Equal(3, written.RootElement.GetArrayLength());
    }

    [Fact]
    public void Llava_KeepsAFinalQuestion_ThatTheChatFormatsRefuse()
    {
        using var temp = new TempDir();
        string file = Planted(temp);
        var run = CliRunner.Run("export", file, "--image-folder", temp.File("imgs"), "--format", "llava", "--out", temp.File("moved"),
            "--max-refused-ratio", "1");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var refused = Refused(temp.File("moved", "refused.jsonl")).Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.DoesNotContain("question-last", refused);
        Assert.Contains("tokens", refused);
        using var written = JsonDocument.Parse(File.ReadAllBytes(temp.File("moved", "llava.json")));
        Assert.Contains(written.RootElement.EnumerateArray(), r => r.GetProperty("id").GetString() == "question-last");
    }

    [Fact]
    public void OpenAi_RefusesAGif_ByItsOwnReason()
    {
        using var temp = new TempDir();
        string file = Planted(temp);
        var run = CliRunner.Run("export", file, "--image-folder", temp.File("imgs"), "--format", "openai", "--out", temp.File("ft.jsonl"),
            "--max-refused-ratio", "1");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var refused = Refused(temp.File("ft.refused.jsonl")).ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal(OpenAiLimits.ImageFormat, refused["gif"].GetProperty("reason").GetString());
        Assert.Equal(2, File.ReadAllLines(temp.File("ft.jsonl")).Length);
    }

    [Fact]
    public void TooManyRefused_ExitsOne_ButWritesTheGoodSamples()
    {
        using var temp = new TempDir();
        string file = Planted(temp);
        var run = CliRunner.Run("export", file, "--image-folder", temp.File("imgs"), "--format", "webdataset", "--out", temp.File("wds"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--max-refused-ratio", run.Error, StringComparison.Ordinal);
        Assert.Equal(8, File.ReadAllLines(temp.File("wds", "refused.jsonl")).Length);
        Assert.True(File.Exists(temp.File("wds", "wds-000000.tar")));
    }

    [Fact]
    public void Llava_ImageOutsideTheNewRoot_IsRefused()
    {
        using var temp = new TempDir();
        string elsewhere = Directory.CreateDirectory(temp.File("elsewhere")).FullName;
        var run = CliRunner.Run("export", data.Folder, "--format", "llava", "--out", temp.File("moved"), "--image-root", elsewhere,
            "--max-refused-ratio", "1");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var reasons = Refused(temp.File("moved", "refused.jsonl")).Select(r => r.GetProperty("reason").GetString()).Distinct();
        Assert.Equal([LlavaSink.OutsideRoot], reasons);
    }

    [Fact]
    public void AnnotatedFolderWithoutImageFolder_IsAUsageErrorNamingTheOption()
    {
        using var temp = new TempDir();
        temp.Write("svit/manifest.json", "{\"recipe\": \"svit\"}");
        temp.Write("svit/llava.json", "[" + Record("1_referring_qa_0", "vg/1.jpg", ("human", "<image>\nQ?"), ("gpt", "A.")) + "]");
        var run = CliRunner.Run("export", temp.File("svit"), "--format", "parquet", "--out", temp.File("out.parquet"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--image-folder", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("out.parquet")));
    }

    [Fact]
    public void BadRecord_ExitsTwo_NamingFileLineAndField_AndWritesNothing()
    {
        using var temp = new TempDir();
        temp.Write("imgs/x.txt", "");
        string file = temp.Write("train.jsonl", Record("ok", null, ("human", "Q?"), ("gpt", "A.")) + "\n{\"id\": \"bad\"}\n");
        var run = CliRunner.Run("export", file, "--image-folder", temp.File("imgs"), "--format", "openai",
            "--out", temp.File("o", "ft.jsonl"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(file + ":2", run.Error, StringComparison.Ordinal);
        Assert.Contains("conversations", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("o")) && Directory.EnumerateFileSystemEntries(temp.File("o")).Any());
    }

    [Theory]
    [InlineData("--format", "parquet", "--images", "copy")]
    [InlineData("--format", "sharegpt", "--roles", "openai")]
    [InlineData("--format", "webdataset", "--shard-size", "lots")]
    [InlineData("--format", "sharegpt", "--image-root", "/tmp")]
    [InlineData("--format", "tfrecord")]
    [InlineData("--format", "llava", "--max-refused-ratio", "2")]
    public void BadUsage_ExitsTwo(params string[] options)
    {
        using var temp = new TempDir();
        var run = CliRunner.Run(["export", data.Folder, "--out", temp.File("x"), .. options]);
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(temp.Files());
    }

    [Fact]
    public void OutOfTheWrongKind_IsAUsageError()
    {
        using var temp = new TempDir();
        string file = temp.Write("taken", "mine");
        var run = CliRunner.Run("export", data.Folder, "--format", "webdataset", "--out", file);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("mine", File.ReadAllText(file));
    }

    [Fact]
    public void Progress_IsToldEveryNSamplesWithTheCountsSoFar()
    {
        using var temp = new TempDir();
        var lines = new List<string>();
        var options = new ExportOptions
        {
            Source = data.Folder, Format = ExportFormat.OpenAi, Out = temp.File("out", "train.jsonl"), Progress = lines.Add,
            ProgressEvery = 3,
        };
        var report = Exporter.Run(options);
        Assert.Equal(report.Read / 3, lines.Count);
        Assert.StartsWith("export openai: 3 read, ", lines[0], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.Matches("^export openai: [0-9]+ read, [0-9]+ written, [0-9]+ refused, [0-9]+ s$", l));
    }

    [Fact]
    public void Cancelled_LeavesNoFileBehind()
    {
        using var temp = new TempDir();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var options = new ExportOptions { Source = data.Folder, Format = ExportFormat.Parquet, Out = temp.File("out", "train.parquet") };
        Assert.ThrowsAny<OperationCanceledException>(() => Exporter.Run(options, cancel.Token));
        Assert.Empty(temp.Files());
    }

    [Theory]
    [InlineData("500MB", 500_000_000L)]
    [InlineData("1GB", 1_000_000_000L)]
    [InlineData("64MiB", 64L << 20)]
    [InlineData("1.5 kb", 1_500L)]
    [InlineData("4096", 4_096L)]
    public void ShardSizes_Parse(string text, long bytes) => Assert.Equal(bytes, ByteSize.TryParse(text));

    [Fact]
    public void WebDatasetKeys_HoldNoDot_AndStayUnique()
    {
        Assert.Equal("000000003_a_b_c", WebDatasetKey.Of(3, "a.b/c"));
        Assert.NotEqual(WebDatasetKey.Of(1, "x.y"), WebDatasetKey.Of(2, "x_y"));
        Assert.DoesNotContain('.', WebDatasetKey.Of(7, new string('.', 200)));
    }
}
