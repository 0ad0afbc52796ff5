using System.Text.Json;
using VisInstruct.Formats;
using VisInstruct.Json;
using VisInstruct.Tests.Engine;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes;

public class StableLlavaOfflineTests
{
    private static readonly string[] OfflineAbilities =
        ["abnormal", "art_style", "color", "counting", "difference", "multi_turn", "position", "reasoning", "similarity", "size"];

    private static readonly string[] MultiImageAbilities = ["difference", "multi_turn", "reasoning", "similarity"];

    private static CliRunner.Result Generate(string output, params string[] extra) =>
        CliRunner.Run(["generate", "--out", output, "--count", "6", "--seed", "11", "--quiet", .. extra]);

    [Fact]
    public void BuiltInBackends_MakeALintCleanDatasetWithEveryProceduralAbility()
    {
        using var temp = new TempDir();
        var result = Generate(temp.Path);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("skipped action, animal, plant, vehicle, clothes, furniture, profession, food, scene", result.Error,
            StringComparison.Ordinal);
        Assert.Contains("dataset: ", result.Out, StringComparison.Ordinal);

        var single = Read(temp.File("llava.json"));
        var multi = Read(temp.File("llava_multi.json"));
        var samples = single.Concat(multi).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(60, samples.Count);
        Assert.Equal(OfflineAbilities, samples.Select(s => s.Id[..s.Id.LastIndexOf('_')]).Distinct());
        Assert.All(samples.GroupBy(s => s.Id[..s.Id.LastIndexOf('_')]), g => Assert.Equal(6, g.Count()));
        Assert.All(single, s => Assert.False(s.Image!.IsList));
        Assert.Equal(MultiImageAbilities, multi.Select(s => s.Id[..s.Id.LastIndexOf('_')]).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(multi, s => s.Image!.IsList && s.Image.Paths.Count == 2);
        Assert.Contains(multi, s => s.Image!.IsList && s.Image.Paths.Count == 3);

        var lint = CliRunner.Run("lint", temp.File("llava.json"), "--image-folder", temp.Path);
        Assert.Equal(0, lint.ExitCode);
        Assert.EndsWith("36 samples, 0 errors, 0 warnings", lint.Out.Trim(), StringComparison.Ordinal);
        var lintMulti = CliRunner.Run("lint", temp.File("llava_multi.json"), "--trainer", "onevision", "--image-folder", temp.Path);
        Assert.Equal(0, lintMulti.ExitCode);
        Assert.EndsWith("24 samples, 0 errors, 0 warnings", lintMulti.Out.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void MultiImageSamples_GoToLlavaMulti_OneImageTokenPerImage_AndLlavaJsonLoadsInLlava15()
    {
        using var temp = new TempDir();
        Assert.Equal(0, Generate(temp.Path, "--abilities", "color,difference,similarity,reasoning,multi_turn").ExitCode);
        var single = Read(temp.File("llava.json"));
        Assert.Equal(6, single.Count);
        Assert.All(single, s => Assert.False(s.Image!.IsList));
        Assert.All(single, s => Assert.Single(s.Image!.Paths));

        var multi = Read(temp.File("llava_multi.json"));
        Assert.Equal(24, multi.Count);
        Assert.All(multi, s =>
        {
            Assert.True(s.Image!.IsList);
            Assert.InRange(s.Image.Paths.Count, 2, 3);
            Assert.Equal(s.Image.Paths.Count, s.Conversations.Where(t => t.From == "human")
                .Sum(t => t.Value.Split("<image>").Length - 1));
            Assert.DoesNotContain(s.Conversations, t => t.From == "gpt" && t.Value.Contains("<image>", StringComparison.Ordinal));
        });

        // Each trainer's rules: LLaVA-1.5 takes llava.json and refuses every sample of llava_multi.json; OneVision takes both.
        Assert.Equal(0, CliRunner.Run("lint", temp.File("llava.json")).ExitCode);
        Assert.Equal(0, CliRunner.Run("lint", temp.File("llava.json"), "--trainer", "onevision").ExitCode);
        Assert.Equal(0, CliRunner.Run("lint", temp.File("llava_multi.json"), "--trainer", "onevision").ExitCode);
        var strict = CliRunner.Run("lint", temp.File("llava_multi.json"), "--trainer", "llava-1.5");
        Assert.Equal(1, strict.ExitCode);
        Assert.EndsWith("24 samples, 24 errors, 0 warnings", strict.Out.Trim(), StringComparison.Ordinal);
        Assert.Contains("[image.list] sample 0 (id \"difference_000000\"), field image", strict.Out, StringComparison.Ordinal);

        string card = File.ReadAllText(temp.File("README.md"));
        Assert.Contains("- `llava.json`: 6 samples, LLaVA-1.5 training data", card, StringComparison.Ordinal);
        Assert.Contains("- `llava_multi.json`: 24 multi-image samples", card, StringComparison.Ordinal);
        using var manifest = JsonDocument.Parse(File.ReadAllText(temp.File("manifest.json")));
        var files = manifest.RootElement.GetProperty("files");
        Assert.Equal(6, files.GetProperty("llava.json").GetInt64());
        Assert.Equal(24, files.GetProperty("llava_multi.json").GetInt64());
    }

    [Fact]
    public void WithoutAMultiImageAbility_NoLlavaMultiIsWritten()
    {
        using var temp = new TempDir();
        Assert.Equal(0, Generate(temp.Path, "--abilities", "color,counting").ExitCode);
        Assert.Equal(12, Read(temp.File("llava.json")).Count);
        Assert.False(File.Exists(temp.File("llava_multi.json")));
        Assert.DoesNotContain("llava_multi.json", File.ReadAllText(temp.File("README.md")), StringComparison.Ordinal);
        Assert.DoesNotContain("llava_multi.json", File.ReadAllText(temp.File("manifest.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyMultiImageAbilities_WriteNoLlavaJson_AndTheCardSaysSo()
    {
        using var temp = new TempDir();
        Assert.Equal(0, Generate(temp.Path, "--abilities", "difference").ExitCode);
        Assert.False(File.Exists(temp.File("llava.json")));
        Assert.Equal(6, Read(temp.File("llava_multi.json")).Count);
        string card = File.ReadAllText(temp.File("README.md"));
        Assert.Contains("- `llava.json`: not written (no single-image samples)", card, StringComparison.Ordinal);
        Assert.Contains("- `llava_multi.json`: 6 multi-image samples", card, StringComparison.Ordinal);
    }

    private static List<LlavaSample> Read(string file)
    {
        using var reader = JsonRecordReader.Open(file);
        return JsonRecords.Read(reader, FormatsJsonContext.Default.LlavaSample).ToList();
    }

    [Fact]
    public void StableLlavaFiles_AreInTheReleasedSchema_AndConvertToTrainableLlava()
    {
        using var temp = new TempDir();
        Assert.Equal(0, Generate(temp.Path, "--abilities", "color,counting,difference").ExitCode);
        Assert.Equal(["color.json", "counting.json"],
            Directory.EnumerateFiles(temp.File("stablellava")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using (var reader = JsonRecordReader.OpenArray(temp.File("stablellava", "color.json")))
        {
            var entries = JsonRecords.Read(reader, FormatsJsonContext.Default.StableLlavaEntry).ToList();
            Assert.All(entries, e => Assert.StartsWith("color/", e.Image, StringComparison.Ordinal));
            Assert.All(entries, e => Assert.Contains("<image>", e.Question, StringComparison.Ordinal));
            Assert.All(entries, e => Assert.StartsWith("((", e.Prompt, StringComparison.Ordinal));
        }

        var converted = CliRunner.Run("convert", "stablellava", "--prompt-path", temp.File("stablellava"), "--save-path",
            temp.File("converted"), "--unique-ids");
        Assert.Equal(0, converted.ExitCode);
        foreach (string file in Directory.EnumerateFiles(temp.File("converted")))
        {
            Assert.Equal(0, CliRunner.Run("lint", file, "--image-folder", temp.File("images")).ExitCode);
        }
    }

    [Fact]
    public void Rerun_IsByteIdentical_AtAnyConcurrency_AndResumesWithoutWork()
    {
        using var temp = new TempDir();
        Assert.Equal(0, Generate(temp.File("a")).ExitCode);
        Assert.Equal(0, Generate(temp.File("b"), "--concurrency", "1").ExitCode);
        Assert.Equal(EngineFixture.DatasetHashes(temp.File("a")), EngineFixture.DatasetHashes(temp.File("b")));
        var again = Generate(temp.File("a"));
        Assert.Contains("(0 this run", again.Out, StringComparison.Ordinal);

        Assert.Equal(0, CliRunner.Run("generate", "--out", temp.File("c"), "--count", "6", "--seed", "12", "--quiet").ExitCode);
        Assert.NotEqual(File.ReadAllText(temp.File("a", "llava.json")), File.ReadAllText(temp.File("c", "llava.json")));
    }

    [Fact]
    public void MoreSamplesLater_KeepTheFirstOnesExactly()
    {
        using var temp = new TempDir();
        Assert.Equal(0, Generate(temp.Path, "--abilities", "color").ExitCode);
        string before = File.ReadAllText(temp.File("stablellava", "color.json"));
        var more = CliRunner.Run("generate", "--out", temp.Path, "--count", "9", "--seed", "11", "--quiet", "--abilities", "color");
        Assert.Equal(0, more.ExitCode);
        Assert.Contains("(3 this run", more.Out, StringComparison.Ordinal);
        using var first = JsonDocument.Parse(before);
        using var after = JsonDocument.Parse(File.ReadAllText(temp.File("stablellava", "color.json")));
        var keep = first.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
        Assert.Equal(keep, after.RootElement.EnumerateArray().Select(e => e.GetRawText()).Take(keep.Count));
    }

    [Fact]
    public void ProvenanceHoldsTheExactSceneOfEveryImage()
    {
        using var temp = new TempDir();
        Assert.Equal(0, Generate(temp.Path, "--abilities", "counting").ExitCode);
        var lines = File.ReadAllLines(temp.File("images", "provenance.jsonl"));
        Assert.Equal(6, lines.Length);
        using var record = JsonDocument.Parse(lines[0]);
        var root = record.RootElement;
        Assert.Equal("counting_000000", root.GetProperty("sample").GetString());
        Assert.Equal("procedural", root.GetProperty("image").GetProperty("backend").GetString());
        Assert.Equal("images/counting/0.jpg", root.GetProperty("image").GetProperty("file").GetString());
        var objects = root.GetProperty("scene").GetProperty("objects");
        Assert.True(objects.GetArrayLength() >= 1);

        // The count in the dialogue is the count in the scene.
        using var reader = JsonRecordReader.Open(temp.File("llava.json"));
        var sample = JsonRecords.Read(reader, FormatsJsonContext.Default.LlavaSample)
            .First(s => s.Conversations[0].Value.Contains("How many", StringComparison.Ordinal)
            && !s.Conversations[0].Value.Contains("shapes", StringComparison.Ordinal));
        string shape = sample.Conversations[0].Value.Split("How many ")[1].Split(' ')[0];
        string file = sample.Image!.Paths[0];
        using var truth = JsonDocument.Parse(lines.Single(l => l.Contains($"\"file\": \"{file}\"", StringComparison.Ordinal)));
        int count = truth.RootElement.GetProperty("scene").GetProperty("objects").EnumerateArray()
            .Count(o =>
            VisInstruct.Rendering.ShapeNames.Plural(VisInstruct.Rendering.ShapeNames.Parse(o.GetProperty("shape").GetString()!)!.Value)
            == shape);
        Assert.Contains(VisInstruct.Text.English.Number(count), sample.Conversations[1].Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--abilities", "unicorns", "unknown ability unicorns")]
    [InlineData("--abilities", "animal", "open-world abilities need an image backend")]
    [InlineData("--count", "0", "between 1 and 999999")]
    public void BadRequests_AreBadUsage(string option, string value, string message)
    {
        using var temp = new TempDir();
        var result = CliRunner.Run("generate", "--out", temp.Path, option, value, "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void UserAbilitiesFile_ChangesAndAddsAbilities()
    {
        using var temp = new TempDir();
        temp.Write("abilities.yaml", """
            abilities:
              shapes_only:
                group: others
                description: Naming shapes.
                kinds: [caption]
                procedural: color
            """);
        string config = temp.Write("run.yaml", "stablellava:\n  abilities_file: abilities.yaml\n  abilities: [shapes_only]\n");
        var result = CliRunner.Run("generate", "--out", temp.File("out"), "--config", config, "--count", "3", "--quiet");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, File.ReadAllText(temp.File("out", "llava.json")).Split("\"id\": \"shapes_only_").Length - 1);
    }
}
