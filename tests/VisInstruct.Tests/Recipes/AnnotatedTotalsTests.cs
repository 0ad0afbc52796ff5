using System.Text.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes;

/// <summary>
/// The card's and <c>stats.json</c>'s totals are those of the task files written (each image once, with its boxes), and
/// every record id is unique within its file.
/// </summary>
public class AnnotatedTotalsTests
{
    /// <summary>
    /// Two COCO images: 1 with two boxes and captions, 2 with captions only, so its complex-reasoning item (the first task
    /// by name) is dropped while its conversation is written.
    /// </summary>
    private static string SmallCocoConfig(TempDir temp)
    {
        const string images = """
            [{"id": 1, "width": 640, "height": 480, "file_name": "000000000001.jpg"},
             {"id": 2, "width": 640, "height": 480, "file_name": "000000000002.jpg"}]
            """;
        string instances = "{\"images\": " + images + """
            , "categories": [{"id": 1, "name": "dog", "supercategory": "animal"}, {"id": 2, "name": "cat", "supercategory": "animal"}],
            "annotations": [
              {"id": 10, "image_id": 1, "category_id": 1, "bbox": [10, 10, 100, 80], "area": 8000, "iscrowd": 0},
              {"id": 11, "image_id": 1, "category_id": 2, "bbox": [400, 200, 120, 90], "area": 10800, "iscrowd": 0}]}
            """;
        string captions = "{\"images\": " + images + """
            , "annotations": [
              {"id": 20, "image_id": 1, "caption": "A dog and a cat in a yard."},
              {"id": 21, "image_id": 1, "caption": "Two pets sit on the grass."},
              {"id": 22, "image_id": 2, "caption": "An empty street at night."},
              {"id": 23, "image_id": 2, "caption": "A quiet road under street lights."}]}
            """;
        string instancesPath = temp.Write("instances.json", instances);
        string captionsPath = temp.Write("captions.json", captions);
        return temp.Write("run.yaml", $"""
            annotations:
              coco_captions: [{captionsPath}]
              coco_instances: [{instancesPath}]
            """);
    }

    private static List<JsonElement> Records(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static JsonElement Stats(string outDir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "stats.json")));
        return doc.RootElement.Clone();
    }

    private static void AssertIdsUnique(string outDir)
    {
        foreach (string file in Directory.EnumerateFiles(outDir, "*.json", SearchOption.AllDirectories))
        {
            string name = Path.GetFileName(file);
            if (name is "stats.json" or "manifest.json")
            {
                continue;
            }

            var records = Records(file);
            // A SVIT task file holds one record per image (svit.json, all tasks together, one per image and task).
            bool byImage = name != "svit.json";
            var ids = records.Select(r => r.TryGetProperty("id", out var id) ? id.ToString()
                : byImage && r.TryGetProperty("image_id", out var imageId) ? imageId.ToString() : null)
                .Where(i => i is not null).ToList();
            Assert.True(ids.Count == ids.Distinct(StringComparer.Ordinal).Count(),
                $"{Path.GetRelativePath(outDir, file)}: {ids.Count} ids, {ids.Distinct(StringComparer.Ordinal).Count()} distinct");
        }
    }

    [Fact]
    public void LlavaInstruct_TotalsAreThoseOfTheWrittenFiles_AndIdsAreUniquePerFile()
    {
        using var temp = new TempDir();
        string outDir = temp.File("out");
        var result = CliRunner.Run("generate", "--recipe", "llava-instruct", "--out", outDir, "--config", SmallCocoConfig(temp),
            "--seed", "3", "--quiet");
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        var stats = Stats(outDir);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in stats.GetProperty("tasks").EnumerateObject())
        {
            var records = Records(Path.Combine(outDir, "llava-instruct", task.Name + ".json"));
            var images = records.Select(r => r.GetProperty("image").GetString()!).Distinct(StringComparer.Ordinal).ToList();
            Assert.Equal(images.Count, task.Value.GetProperty("images").GetInt64());
            written.UnionWith(images);
        }

        Assert.Equal(["000000000001.jpg", "000000000002.jpg"], written.Order(StringComparer.Ordinal));
        var total = stats.GetProperty("total");
        Assert.Equal(written.Count, total.GetProperty("images").GetInt64());
        Assert.Equal(2, total.GetProperty("object_boxes").GetInt64()); // image 1's two boxes, image 2 has none
        Assert.Equal(4, total.GetProperty("captions").GetInt64());
        Assert.Contains("| total | 2 | 2 |", File.ReadAllText(Path.Combine(outDir, "README.md")), StringComparison.Ordinal);
        AssertIdsUnique(outDir);
    }

    [Fact]
    public void Fixtures_TotalsCountEachWrittenImageOnce_AndIdsAreUniquePerFile()
    {
        foreach (var (recipe, config) in new (string, Func<TempDir, string>)[]
            { ("llava-instruct", t => AnnotatedRecipeOfflineTests.CocoConfig(t)), ("svit", t => AnnotatedRecipeOfflineTests.VgConfig(t)) })
        {
            using var temp = new TempDir();
            string outDir = temp.File("out");
            var result = CliRunner.Run("generate", "--recipe", recipe, "--out", outDir, "--config", config(temp), "--seed", "5", "--quiet");
            Assert.True(result.ExitCode == 0, result.Error + result.Out);
            var stats = Stats(outDir);
            long maxTask = stats.GetProperty("tasks").EnumerateObject().Max(t => t.Value.GetProperty("images").GetInt64());
            long maxBoxes = stats.GetProperty("tasks").EnumerateObject().Max(t => t.Value.GetProperty("object_boxes").GetInt64());
            Assert.True(stats.GetProperty("total").GetProperty("images").GetInt64() >= maxTask, recipe);
            Assert.True(stats.GetProperty("total").GetProperty("object_boxes").GetInt64() >= maxBoxes, recipe);
            AssertIdsUnique(outDir);
        }
    }
}
