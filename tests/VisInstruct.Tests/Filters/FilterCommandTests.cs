using System.Text.Json;
using System.Text.Json.Nodes;
using VisInstruct.Filters.Images;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Filters;

/// <summary>
/// <c>visinstruct filter</c> end to end on a LLaVA file over an image folder with planted problems: a re-encoded copy
/// of an image, a conversation said twice, an empty answer, an image that is also in a benchmark folder.
/// </summary>
public sealed class FilterCommandTests : IDisposable
{
    private const string Offline = "text,image-dup,text-dup";

    private readonly TempDir _temp = new();

    public FilterCommandTests()
    {
        for (int i = 0; i < 8; i++)
        {
            _temp.Write($"data/coco/p{i}.jpg", FilterImages.Picture(i));
        }

        _temp.Write("data/coco/copy0.jpg", ImageVariants.Reencode(FilterImages.Picture(0), 60));
        _temp.Write("bench/images/q7.jpg", ImageVariants.Resize(FilterImages.Picture(7), 0.5));
        var records = new JsonArray
        {
            Record("s0", "coco/p0.jpg", "What is in the picture?", "Shapes in several colours on a plain background."),
            Record("s1", "coco/p1.jpg", "Which shape is the largest?", "The large circle near the middle is the largest shape."),
            Record("s2", "coco/copy0.jpg", "How many circles are there?", "There are six circles, some of them overlapping."),
            Record("s3", "coco/p3.jpg", "Which shape is the largest?", "The large circle near the middle is the largest shape."),
            Record("s4", "coco/p4.jpg", "Describe the image.", ""),
            Record("s5", "coco/p5.jpg", "Is there a rectangle?", "Yes, a wide rectangle crosses the lower half."),
            Record("s6", "coco/p6.jpg", "What colour is the background?", "The background is a single flat colour."),
            Record("s7", "coco/p7.jpg", "Where is the smallest circle?", "The smallest circle sits in the top left corner."),
        };
        File.WriteAllText(Source, records.ToJsonString());
    }

    private string Source => _temp.File("data.json");

    public void Dispose() => _temp.Dispose();

    private CliRunner.Result Filter(string output, params string[] args) =>
        CliRunner.Run(["filter", Source, "--image-folder", _temp.File("data"), "--out", output, "--quiet", .. args]);

    [Fact]
    public void Drops_what_the_filters_flag_keeps_the_rest_with_their_images_and_explains_every_verdict()
    {
        string output = _temp.File("out");
        var run = Filter(output, "--filters", Offline, "--drop", "all", "--against", _temp.File("bench", "images"));
        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        Assert.Equal(["s0", "s1", "s5", "s6"], Ids(Path.Combine(output, "llava.json")));
        Assert.Equal(["s2", "s3", "s4", "s7"], Ids(Path.Combine(output, "dropped", "llava.json")));

        // Kept samples' images are in the output under images/, the records pointing at them.
        var kept = Records(Path.Combine(output, "llava.json"));
        Assert.Equal("images/coco/p0.jpg", kept[0].GetProperty("image").GetString());
        Assert.True(File.Exists(Path.Combine(output, "images", "coco", "p0.jpg")));
        Assert.False(File.Exists(Path.Combine(output, "images", "coco", "copy0.jpg")));
        // Dropped samples are kept as the source wrote them.
        Assert.Equal("coco/copy0.jpg", Records(Path.Combine(output, "dropped", "llava.json"))[0].GetProperty("image").GetString());

        var lines = Lines(output);
        Assert.Equal(8 * 3, lines.Count);
        Assert.Equal(lines.Select(l => l.GetProperty("key").GetString()).Order(StringComparer.Ordinal),
            lines.Select(l => l.GetProperty("key").GetString()));
        var flagged = lines.Where(l => l.GetProperty("flagged").GetBoolean())
            .ToDictionary(l => l.GetProperty("id").GetString()!, l => l);
        Assert.Equal(["s2", "s3", "s4", "s7"], flagged.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("image-dup", flagged["s2"].GetProperty("filter").GetString());
        Assert.Equal("near-duplicate", flagged["s2"].GetProperty("reason").GetString());
        Assert.Contains("(sample s0)", flagged["s2"].GetProperty("detail").GetString());
        Assert.Equal(Path.GetFullPath(_temp.File("data", "coco", "copy0.jpg")), flagged["s2"].GetProperty("images")[0].GetString());
        Assert.Equal("contaminated", flagged["s7"].GetProperty("reason").GetString());
        Assert.Equal("text-dup", flagged["s3"].GetProperty("filter").GetString());
        Assert.Equal("exact-duplicate", flagged["s3"].GetProperty("reason").GetString());
        Assert.Equal("same text as s1", flagged["s3"].GetProperty("detail").GetString());
        Assert.Equal("empty-answer", flagged["s4"].GetProperty("reason").GetString());
        Assert.All(lines.Where(l => !l.GetProperty("flagged").GetBoolean()), l => Assert.False(l.TryGetProperty("images", out _)));

        using var stats = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "stats.json")));
        var filters = stats.RootElement.GetProperty("filters");
        Assert.Equal(2, filters.GetProperty("image-dup").GetProperty("dropped").GetInt32());
        Assert.Equal(1, filters.GetProperty("image-dup").GetProperty("reasons").GetProperty("contaminated").GetInt32());
        Assert.Equal(4, stats.RootElement.GetProperty("kept").GetInt32());
        string card = File.ReadAllText(Path.Combine(output, "README.md"));
        Assert.Contains("**4 kept**, 4 dropped", card);
        Assert.Contains("| `text-dup` | exact-duplicate | 1 |", card);
        Assert.Contains("against " + _temp.File("bench", "images"), card);
        Assert.Contains("4 kept, 4 dropped", run.Out);
    }

    [Fact]
    public void Without_drop_every_sample_stays_and_the_flags_are_recorded()
    {
        string output = _temp.File("flag-only");
        var run = Filter(output, "--filters", Offline);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(8, Ids(Path.Combine(output, "llava.json")).Count);
        Assert.False(File.Exists(Path.Combine(output, "dropped", "llava.json")));
        var lines = Lines(output);
        Assert.Equal(3, lines.Count(l => l.GetProperty("flagged").GetBoolean()));
        Assert.All(lines, l => Assert.False(l.GetProperty("dropped").GetBoolean()));
    }

    [Fact]
    public void A_rerun_is_resumed_and_gives_the_same_bytes_and_images_can_stay_where_they_are()
    {
        string output = _temp.File("again");
        string[] args = ["--filters", Offline, "--drop", "image-dup,text-dup", "--images", "keep"];
        Assert.Equal(0, Filter(output, args).ExitCode);
        var files = new[] { "llava.json", Path.Combine("dropped", "llava.json"), "filters.jsonl", "README.md", "stats.json" }
            .ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(output, f)));
        var again = Filter(output, args);
        Assert.True(again.ExitCode == 0, again.Error);
        foreach (var (file, bytes) in files)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, file))), file + " changed");
        }

        // keep: no images copied, the paths as the source wrote them; the empty answer stays (text does not drop).
        Assert.False(Directory.Exists(Path.Combine(output, "images")));
        Assert.Equal("coco/p0.jpg", Records(Path.Combine(output, "llava.json"))[0].GetProperty("image").GetString());
        Assert.Contains("s4", Ids(Path.Combine(output, "llava.json")));
        // A changed drop set is a changed configuration: refused without --force-new.
        var changed = Filter(output, "--filters", Offline, "--drop", "text", "--images", "keep");
        Assert.Equal(2, changed.ExitCode);
        Assert.Contains("--force-new", changed.Error);
    }

    [Fact]
    public void Bad_usage_is_exit_2_with_the_reason()
    {
        var unknown = Filter(_temp.File("x"), "--filters", "text,nosuch");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("nosuch: no such filter", unknown.Error);
        var notRunning = Filter(_temp.File("y"), "--filters", "text", "--drop", "image-dup");
        Assert.Equal(2, notRunning.ExitCode);
        Assert.Contains("does not run", notRunning.Error);
        var self = CliRunner.Run("filter", _temp.File("data"), "--out", _temp.File("data"));
        Assert.Equal(2, self.ExitCode);
        // Annotated data without its image folder: refused before anything runs, unless the images stay where they are.
        _temp.Write("svit/manifest.json", "{\"recipe\": \"svit\"}");
        File.Copy(Source, _temp.File("svit", "llava.json"));
        var annotated = CliRunner.Run("filter", _temp.File("svit"), "--out", _temp.File("svit-out"), "--quiet");
        Assert.Equal(2, annotated.ExitCode);
        Assert.Contains("--image-folder", annotated.Error);
        Assert.Equal(0, CliRunner.Run("filter", _temp.File("svit"), "--out", _temp.File("svit-kept"), "--images", "keep", "--filters",
            "text,text-dup", "--quiet").ExitCode);
        File.WriteAllText(_temp.File("broken.json"), "[{\"id\": \"a\", \"conversations\": [}]");
        var broken = CliRunner.Run("filter", _temp.File("broken.json"), "--out", _temp.File("z"), "--filters", "text");
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("broken.json", broken.Error);
    }

    [Fact]
    public void Help_lists_every_filter_by_name()
    {
        var help = CliRunner.Run("filter", "--help");
        Assert.Equal(0, help.ExitCode);
        foreach (string name in VisInstruct.Filters.FilterNames.All)
        {
            Assert.Contains("  " + name + " ", help.Out);
        }
    }

    [Fact]
    public void Generate_with_filters_in_the_config_writes_the_filtered_dataset_beside_the_data()
    {
        string config = _temp.Write("run.yaml", "filters:\n  text: {}\n  image_dup:\n    drop: true\n  text_dup: {}\n");
        string output = _temp.File("gen");
        var run = CliRunner.Run("generate", "--out", output, "--count", "3", "--abilities", "color,counting", "--config", config,
            "--quiet");
        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        string filtered = Path.Combine(output, "filtered");
        var lines = Lines(filtered);
        Assert.Equal(6 * 3, lines.Count);
        var droppedLines = lines.Where(l => l.GetProperty("dropped").GetBoolean()).ToList();
        int dropped = droppedLines.Select(l => l.GetProperty("id").GetString()).Distinct().Count();
        Assert.Equal(6, dropped + Ids(Path.Combine(filtered, "llava.json")).Count);
        Assert.All(droppedLines, l => Assert.Equal("image-dup", l.GetProperty("filter").GetString()));
        Assert.All(Ids(Path.Combine(filtered, "llava.json")), id => Assert.Matches("^(color|counting)_[0-9]+$", id));
        // The generated dataset itself is untouched: every sample is still in it.
        Assert.Equal(6, Ids(Path.Combine(output, "llava.json")).Count);
        Assert.Contains("image-dup", File.ReadAllText(Path.Combine(filtered, "README.md")));
    }

    [Fact]
    public void Shards_merged_equal_the_unsharded_run_byte_for_byte()
    {
        string[] args = ["--filters", Offline, "--drop", "image-dup,text-dup", "--against", _temp.File("bench", "images")];
        for (int i = 0; i < 2; i++)
        {
            string index = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var shard = Filter(_temp.File("shard" + index), [.. args, "--shard-index", index, "--shard-count", "2"]);
            Assert.True(shard.ExitCode == 0, shard.Error);
        }

        var merge = CliRunner.Run("merge", _temp.File("shard0"), _temp.File("shard1"), "--out", _temp.File("merged"));
        Assert.True(merge.ExitCode == 0, merge.Error + merge.Out);
        string whole = _temp.File("whole");
        Assert.Equal(0, Filter(whole, args).ExitCode);
        foreach (string file in new[] { "llava.json", "filters.jsonl", Path.Combine("dropped", "llava.json"), "stats.json" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(whole, file)).AsSpan().SequenceEqual(File.ReadAllBytes(_temp.File("merged", file))),
                file + " differs");
        }

        // Every kept image is in the merged folder, gathered from the shard that placed it.
        Assert.All(Records(_temp.File("merged", "llava.json")),
            r => Assert.True(File.Exists(_temp.File("merged", r.GetProperty("image").GetString()!))));
        Assert.Contains("| `image-dup` | as recorded in `manifest.json` | yes |", File.ReadAllText(_temp.File("merged", "README.md")));
    }

    private static JsonObject Record(string id, string image, string question, string answer) => new()
    {
        ["id"] = id, ["image"] = image,
        ["conversations"] = new JsonArray(
            new JsonObject { ["from"] = "human", ["value"] = "<image>\n" + question },
            new JsonObject { ["from"] = "gpt", ["value"] = answer }),
    };

    private static List<JsonElement> Records(string file) =>
        [.. JsonDocument.Parse(File.ReadAllBytes(file)).RootElement.EnumerateArray().Select(e => e.Clone())];

    private static List<string> Ids(string file) => [.. Records(file).Select(r => r.GetProperty("id").GetString()!)];

    private static List<JsonElement> Lines(string output) =>
        [.. File.ReadLines(Path.Combine(output, "filters.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
}
