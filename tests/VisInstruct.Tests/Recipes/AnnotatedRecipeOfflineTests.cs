using System.Text.Json;
using System.Text.RegularExpressions;
using VisInstruct.Formats;
using VisInstruct.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes;

/// <summary>The SVIT and LLaVA-Instruct recipes on the built-in procedural question engine, over real annotation records.</summary>
public partial class AnnotatedRecipeOfflineTests
{
    internal static string VgConfig(TempDir temp, string extra = "") => temp.Write("run.yaml", $"""
        annotations:
          vg_image_data: {Paths.Fixture("vg", "image_data.first2.json")}
          vg_objects: {Paths.Fixture("vg", "objects.first2.json")}
          vg_regions: {Paths.Fixture("vg", "region_descriptions.first2.json")}
          vg_attributes: {Paths.Fixture("vg", "attributes.first2.json")}
        {extra}
        """);

    internal static string CocoConfig(TempDir temp, string extra = "") => temp.Write("run.yaml", $"""
        annotations:
          coco_captions: [{Paths.Fixture("coco", "captions_train2017.first5.json")}]
          coco_instances: [{Paths.Fixture("coco", "instances_train2017.first5.json")}]
        {extra}
        """);

    [GeneratedRegex(@"<st>(.*?)<ed> (\[[0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+\])")]
    private static partial Regex Mention();

    [Fact]
    public void Svit_OnRealVisualGenomeRecords_WritesEveryTask_GroundedAndLintClean()
    {
        using var temp = new TempDir();
        var result =
            CliRunner.Run("generate", "--recipe", "svit", "--out", temp.File("out"), "--config", VgConfig(temp), "--seed", "3", "--quiet");
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("procedural question engine", result.Error, StringComparison.Ordinal);

        foreach (string task in new[] { "conversation", "complex_reasoning", "detail_description", "referring_qa" })
        {
            using var reader = JsonRecordReader.Open(temp.File("out", "svit", task + ".json"));
            var samples = JsonRecords.Read(reader, FormatsJsonContext.Default.SvitSample).ToList();
            Assert.Equal([1L, 2L], samples.Select(s => s.ImageId));
            Assert.All(samples, s =>
                Assert.All(s.Conversations, c => Assert.Equal([SvitTurn.User, SvitTurn.Gpt], c.Content.Select(t => t.From).Distinct())));
        }

        using (var reader = JsonRecordReader.Open(temp.File("out", "svit", "svit.json")))
        {
            Assert.Equal(8, JsonRecords.Read(reader, FormatsJsonContext.Default.SvitSample).Count());
        }

        // Every referring box is the normalised box of an annotated object or region of that image (image 1 is 800x600).
        string referring = File.ReadAllText(temp.File("out", "svit", "referring_qa.json"));
        var objects =
            JsonDocument.Parse(File.ReadAllText(Paths.Fixture("vg", "objects.first2.json"))).RootElement[0].GetProperty("objects");
        var regions = JsonDocument.Parse(File.ReadAllText(Paths.Fixture("vg", "region_descriptions.first2.json"))).RootElement[0]
            .GetProperty("regions");
        var boxes = objects.EnumerateArray()
            .Select(o =>
            Box(o.GetProperty("x").GetDouble(), o.GetProperty("y").GetDouble(), o.GetProperty("w").GetDouble(),
            o.GetProperty("h").GetDouble()))
            .Concat(regions.EnumerateArray()
                .Select(r =>
                Box(r.GetProperty("x").GetDouble(), r.GetProperty("y").GetDouble(), r.GetProperty("width").GetDouble(),
                r.GetProperty("height").GetDouble())))
            .ToHashSet(StringComparer.Ordinal);
        using (var reader = JsonRecordReader.Open(temp.File("out", "svit", "referring_qa.json")))
        {
            var first = JsonRecords.Read(reader, FormatsJsonContext.Default.SvitSample).First();
            var mentions = first.Conversations.SelectMany(c => c.Content).SelectMany(t => Mention().Matches(t.Value)).ToList();
            Assert.NotEmpty(mentions);
            Assert.All(mentions, m => Assert.Contains(m.Groups[2].Value, boxes));
        }

        Assert.Contains("<st>", referring, StringComparison.Ordinal);
        var lint = CliRunner.Run("lint", temp.File("out", "llava.json"));
        Assert.True(lint.ExitCode == 0, lint.Out);
        string llava = File.ReadAllText(temp.File("out", "llava.json"));
        Assert.DoesNotContain("<st>", llava, StringComparison.Ordinal);
        Assert.Contains("\"image\": \"vg/VG_100K_2/1.jpg\"", llava, StringComparison.Ordinal);
        Assert.Contains("\"image\": \"vg/VG_100K/2.jpg\"", llava, StringComparison.Ordinal);

        using var stats = JsonDocument.Parse(File.ReadAllText(temp.File("out", "stats.json")));
        var total = stats.RootElement.GetProperty("total");
        Assert.Equal(2, total.GetProperty("images").GetInt64());
        Assert.Equal(67, total.GetProperty("object_boxes").GetInt64());
        Assert.Equal(518, total.GetProperty("region_descriptions").GetInt64());
        Assert.Equal(0, total.GetProperty("captions").GetInt64());
        var grounding = stats.RootElement.GetProperty("grounding");
        Assert.Equal(grounding.GetProperty("pairs").GetInt64(), grounding.GetProperty("pairs_kept").GetInt64());
        Assert.Equal(grounding.GetProperty("boxes").GetInt64(), grounding.GetProperty("boxes_passed").GetInt64());
        string card = File.ReadAllText(temp.File("out", "README.md"));
        Assert.Contains("| task | images | object boxes | region descriptions | captions | questions | answers |", card,
            StringComparison.Ordinal);
        Assert.Contains("| referring_qa | 2 | 67 | 518 | 0 |", card, StringComparison.Ordinal);
        Assert.Contains("Grounding check (referring QA)", card, StringComparison.Ordinal);

        // The same command again, in a fresh folder: the same bytes.
        Assert.Equal(0,
            CliRunner.Run("generate", "--recipe", "svit", "--out", temp.File("again"), "--config", VgConfig(temp), "--seed", "3", "--quiet")
            .ExitCode);
        foreach (string file in new[] { "llava.json", "svit/svit.json", "stats.json" })
        {
            Assert.Equal(File.ReadAllBytes(temp.File("out", file)), File.ReadAllBytes(temp.File("again", file)));
        }
    }

    private static string Box(double x, double y, double w, double h) =>
        new VisInstruct.Annotations.PixelRect(x, y, w, h).Normalize(800, 600).ToString();

    [Fact]
    public void Svit_Filters_Tasks_AndCount()
    {
        using var temp = new TempDir();
        string exclude = temp.Write("exclude.txt", "2\n");
        var result = CliRunner.Run("generate", "--recipe", "svit", "--out", temp.File("out"), "--config", VgConfig(temp),
            "--exclude-image-ids", exclude,
            "--tasks", "referring_qa,detail_description", "--quiet");
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.False(File.Exists(temp.File("out", "svit", "conversation.json")));
        string detail = File.ReadAllText(temp.File("out", "svit", "detail_description.json"));
        Assert.Contains("\"image_id\": 1", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("\"image_id\": 2", detail, StringComparison.Ordinal);

        var counted = CliRunner.Run("generate", "--recipe", "svit", "--out", temp.File("one"), "--config", VgConfig(temp), "--count", "1",
            "--tasks", "detail_description", "--quiet");
        Assert.Equal(0, counted.ExitCode);
        Assert.DoesNotContain("\"image_id\": 2", File.ReadAllText(temp.File("one", "svit", "detail_description.json")),
            StringComparison.Ordinal);

        var unknown =
            CliRunner.Run("generate", "--recipe", "svit", "--out", temp.File("bad"), "--config", VgConfig(temp), "--tasks", "captioning");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown task captioning", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Svit_WithoutAnnotationFiles_IsAUsageErrorNamingTheKeys()
    {
        using var temp = new TempDir();
        var result = CliRunner.Run("generate", "--recipe", "svit", "--out", temp.File("out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("annotations.vg_image_data, annotations.vg_objects, annotations.vg_regions", result.Error,
            StringComparison.Ordinal);
    }

    [Fact]
    public void LlavaInstruct_OnRealCocoRecords_WritesThreeTasks()
    {
        using var temp = new TempDir();
        var result = CliRunner.Run("generate", "--recipe", "llava-instruct", "--out", temp.File("out"), "--config", CocoConfig(temp),
            "--seed", "8", "--quiet");
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        foreach (string task in new[] { "conversation", "complex_reasoning", "detail_description" })
        {
            using var reader = JsonRecordReader.Open(temp.File("out", "llava-instruct", task + ".json"));
            var samples = JsonRecords.Read(reader, FormatsJsonContext.Default.LlavaSample).ToList();
            Assert.NotEmpty(samples);
            Assert.All(samples, s => Assert.Matches("^[0-9]{12}(_" + task + "_[0-9]+)?$", s.Id));
            Assert.Equal(samples.Count, samples.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count());
            Assert.All(samples, s => Assert.Matches("^[0-9]{12}\\.jpg$", s.Image!.Paths[0]));
            Assert.All(samples, s => Assert.StartsWith("<image>\n", s.Conversations[0].Value, StringComparison.Ordinal));
        }

        string llava = File.ReadAllText(temp.File("out", "llava.json"));
        Assert.Contains("\"image\": \"coco/train2017/000000535506.jpg\"", llava, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("lint", temp.File("out", "llava.json")).ExitCode);
        Assert.Contains("LLaVA-Instruct-style", File.ReadAllText(temp.File("out", "README.md")), StringComparison.Ordinal);
    }
}
