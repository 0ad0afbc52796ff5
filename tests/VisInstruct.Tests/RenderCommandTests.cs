using System.Text.Json;
using VisInstruct.Tests.Engine;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

public class RenderCommandTests
{
    private static string SmallAbilityFile(TempDir temp, string ability = "animal", int count = 12)
    {
        var entries = Enumerable.Range(0, count).Select(i =>
            $"{{\"id\": \"{i}\", \"image\": \"{ability}/{i}.jpg\", \"prompt\": \"(({(i % 2 == 0 ? "Red" : "Blue")}-parrot)), jungle, "
                + $"realistic\", \"question\": \"<image>\\nDescribe the image concisely.\", \"answer\": \"A parrot.\"}}");
        return temp.Write($"dataset/{ability}.json", "[" + string.Join(", ", entries) + "]");
    }

    [Fact]
    public void Procedural_RendersEveryEntryUnderTheNameConvertPointsAt_AndSaysTheyAreStandIns()
    {
        using var temp = new TempDir();
        string prompts = SmallAbilityFile(temp);
        var result = CliRunner.Run("render", "--prompt-path", prompts, "--save-path", temp.File("train_set"), "--seed", "5", "--quiet");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("procedural stand-ins", result.Error, StringComparison.Ordinal);
        Assert.Equal(12, Directory.EnumerateFiles(temp.File("train_set", "animal"), "*.jpg").Count());
        Assert.Contains("procedural stand-ins", File.ReadAllText(temp.File("train_set", "README.md")), StringComparison.Ordinal);

        var provenance =
            File.ReadAllLines(temp.File("train_set", "provenance.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(12, provenance.Count);
        Assert.Equal("animal/0.jpg", provenance[0].GetProperty("file").GetString());
        Assert.Equal("procedural", provenance[0].GetProperty("backend").GetString());
        Assert.NotEqual(0, provenance[0].GetProperty("seed").GetInt64());

        // The two steps agree on names: the converted file's images all exist under the render's save path.
        Assert.Equal(0,
            CliRunner.Run("convert", "stablellava", "--prompt-path", prompts, "--image-path", "animal_root", "--save-path",
            temp.File("llava.json")).ExitCode);
        var noPrefix = CliRunner.Run("convert", "stablellava", "--prompt-path", prompts, "--save-path", temp.File("llava2.json"));
        Assert.Equal(0, noPrefix.ExitCode);
        var lint = CliRunner.Run("lint", temp.File("llava2.json"), "--image-folder", temp.File("train_set"));
        Assert.Equal(0, lint.ExitCode);
        Assert.EndsWith("12 samples, 0 errors, 0 warnings", lint.Out.Trim(), StringComparison.Ordinal);
    }

    private static SortedDictionary<string, string> ImageHashes(string root) =>
        new(EngineFixture.DatasetHashes(root).Where(p => p.Key.EndsWith(".jpg", StringComparison.Ordinal)).ToDictionary(),
            StringComparer.Ordinal);

    [Fact]
    public void SavePathEndingInTheAbilityFolder_WritesThere_SameTreeAsTheImageRoot_AndConvertFindsTheImages()
    {
        using var temp = new TempDir();
        string prompts = SmallAbilityFile(temp);
        // StableLLaVA's README renders each ability into its own folder; VisInstruct's docs pass the image root.
        var original = CliRunner.Run("render", "--prompt_path", prompts, "--save_path", temp.File("original", "train_set", "animal") + "/",
            "--seed", "5", "--quiet");
        Assert.Equal(0, original.ExitCode);
        Assert.Contains("already ends in the images' folder \"animal\"", original.Error, StringComparison.Ordinal);
        var root =
            CliRunner.Run("render", "--prompt-path", prompts, "--save-path", temp.File("root", "train_set"), "--seed", "5", "--quiet");
        Assert.Equal(0, root.ExitCode);
        Assert.DoesNotContain("already ends in", root.Error, StringComparison.Ordinal);

        var expected = ImageHashes(temp.File("root", "train_set"));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"animal/{i}.jpg").Order(StringComparer.Ordinal), expected.Keys);
        Assert.Equal(expected, ImageHashes(temp.File("original", "train_set")));
        Assert.False(Directory.Exists(temp.File("original", "train_set", "animal", "animal")));
        // The provenance names each image as convert and the trainer do: relative to the image root.
        Assert.Contains("\"file\": \"animal/0.jpg\"", File.ReadAllText(temp.File("original", "train_set", "animal", "provenance.jsonl")),
            StringComparison.Ordinal);

        // convert --image-path train_set, then the trainer's check from the folder that holds train_set: every image is there.
        foreach (string run in new[] { "original", "root" })
        {
            Assert.Equal(0,
                CliRunner.Run("convert", "stablellava", "--prompt-path", prompts, "--image-path", "train_set", "--save-path",
                temp.File(run, "llava.json")).ExitCode);
            var lint = CliRunner.Run("lint", temp.File(run, "llava.json"), "--image-folder", temp.File(run));
            Assert.True(lint.ExitCode == 0, lint.Out + lint.Error);
            Assert.EndsWith("12 samples, 0 errors, 0 warnings", lint.Out.Trim(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SavePathNamedLikeOneAbilityOfSeveral_StaysTheImageRoot()
    {
        using var temp = new TempDir();
        SmallAbilityFile(temp, "animal", count: 2);
        SmallAbilityFile(temp, "color", count: 2);
        var result = CliRunner.Run("render", "--prompt-path", temp.File("dataset"), "--save-path", temp.File("out", "animal"), "--quiet");
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("already ends in", result.Error, StringComparison.Ordinal);
        Assert.Equal(["animal/0.jpg", "animal/1.jpg", "color/0.jpg", "color/1.jpg"], ImageHashes(temp.File("out", "animal")).Keys);
    }

    [Fact]
    public void Rerun_Resumes_AndTheSameSeedGivesTheSameImages()
    {
        using var temp = new TempDir();
        string prompts = SmallAbilityFile(temp);
        Assert.Equal(0,
            CliRunner.Run("render", "--prompt-path", prompts, "--save-path", temp.File("a"), "--seed", "9", "--quiet").ExitCode);
        var again = CliRunner.Run("render", "--prompt-path", prompts, "--save-path", temp.File("a"), "--seed", "9", "--quiet");
        Assert.Contains("(0 this run", again.Out, StringComparison.Ordinal);
        Assert.Equal(0,
            CliRunner.Run("render", "--prompt-path", prompts, "--save-path", temp.File("b"), "--seed", "9", "--quiet", "--concurrency", "1")
            .ExitCode);
        Assert.Equal(EngineFixture.DatasetHashes(temp.File("a")), EngineFixture.DatasetHashes(temp.File("b")));

        var changed = CliRunner.Run("render", "--prompt-path", prompts, "--save-path", temp.File("a"), "--seed", "10", "--quiet");
        Assert.Equal(2, changed.ExitCode);
        Assert.Contains("seed: \"9\" -> \"10\"", changed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A1111FromTheConfig_RendersWithTheServersSeedAndBasicAuth()
    {
        using var temp = new TempDir();
        string prompts = SmallAbilityFile(temp, count: 4);
        await using var server = await A1111Double.StartAsync();
        string config = temp.Write("run.yaml", $"""
            images:
              backend: a1111
              endpoints: [{server.BaseUrl}]
              model: sd_xl_base_1.0.safetensors
              width: 512
              height: 512
              steps: 20
              username_env: VISINSTRUCT_TEST_A1111_USER
              password_env: VISINSTRUCT_TEST_A1111_PASSWORD
            """);
        Environment.SetEnvironmentVariable("VISINSTRUCT_TEST_A1111_USER", "alice");
        Environment.SetEnvironmentVariable("VISINSTRUCT_TEST_A1111_PASSWORD", "s3cret");
        var result = CliRunner.Run("render", "--prompt-path", prompts, "--save-path", temp.File("out"), "--config", config, "--quiet");
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("stand-ins", result.Error, StringComparison.Ordinal);

        var requests = server.To("/sdapi/v1/txt2img");
        Assert.Equal(4, requests.Count);
        Assert.All(requests, r => Assert.Equal("Basic " + Convert.ToBase64String("alice:s3cret"u8.ToArray()), r.Headers["Authorization"]));
        using var first = JsonDocument.Parse(requests.OrderBy(r => r.Text, StringComparer.Ordinal).First().Body);
        Assert.Equal((512, 512, 20),
            (first.RootElement.GetProperty("width").GetInt32(), first.RootElement.GetProperty("height").GetInt32(),
            first.RootElement.GetProperty("steps").GetInt32()));
        Assert.Equal(VisInstruct.Imaging.ImageFormat.Jpeg,
            VisInstruct.Imaging.ImageHeader.TryRead(temp.File("out", "animal", "0.jpg"))!.Value.Format);
        string provenance = File.ReadAllText(temp.File("out", "provenance.jsonl"));
        Assert.Contains("\"backend\": \"a1111\"", provenance, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", File.ReadAllText(temp.File("out", "manifest.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingServer_RecordsFailures_AndExitsWith1OverTheRatio()
    {
        using var temp = new TempDir();
        string prompts = SmallAbilityFile(temp, count: 10);
        await using var server = await LoopbackServer.StartAsync((context, request) =>
            request.Method == "GET" ? context.Json("[]")
            : request.Text.Contains("Blue", StringComparison.Ordinal)
                ? context.Json("{\"error\": \"RuntimeError\", \"detail\": \"model not loaded\"}", 422)
                : context.Json(JsonSerializer.Serialize(new {
                    images = new[] { Convert.ToBase64String(File.ReadAllBytes(Paths.Data("image_headers", "image.png"))) },
                    info = "{}" })));
        string config =
            temp.Write("run.yaml", $"images:\n  backend: a1111\n  endpoints: [{server.BaseUrl}]\n  width: 256\n  height: 256\n");
        var result = CliRunner.Run("render", "--prompt-path", prompts, "--save-path", temp.File("out"), "--config", config, "--quiet");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("failed at render: http-422 x5", result.Out, StringComparison.Ordinal);
        Assert.Equal(5, File.ReadAllLines(temp.File("out", "failures.jsonl")).Length);
        Assert.Contains("model not loaded", File.ReadAllText(temp.File("out", "failures.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public void ShardedRenders_MergeIntoTheUnshardedResult()
    {
        using var temp = new TempDir();
        string prompts = SmallAbilityFile(temp, count: 20);
        Assert.Equal(0, CliRunner.Run("render", "--prompt-path", prompts, "--save-path", temp.File("whole"), "--quiet").ExitCode);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, CliRunner.Run("render", "--prompt-path", prompts, "--save-path", temp.File($"s{i}"), "--quiet",
                "--shard-index", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "--shard-count", "3").ExitCode);
        }

        var merge = CliRunner.Run("merge", temp.File("s0"), temp.File("s1"), temp.File("s2"), "--out", temp.File("merged"));
        Assert.Equal(0, merge.ExitCode);
        Assert.Equal(EngineFixture.DatasetHashes(temp.File("whole")), EngineFixture.DatasetHashes(temp.File("merged")));

        var incomplete = CliRunner.Run("merge", temp.File("s0"), temp.File("s1"), "--out", temp.File("m2"));
        Assert.Equal(2, incomplete.ExitCode);
        Assert.Contains("shards 3 of 3 are missing", incomplete.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void BadAbilityFile_IsBadInput_BeforeAnythingIsRendered()
    {
        using var temp = new TempDir();
        string prompts = temp.Write("dataset/x.json",
            "[{\"id\": \"0\", \"image\": \"../escape.jpg\", \"prompt\": \"p\", \"question\": \"q\", \"answer\": \"a\"}]");
        var result = CliRunner.Run("render", "--prompt-path", prompts, "--save-path", temp.File("out"), "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("climbs out", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("escape.jpg")));
    }

    [Fact]
    public void UnsetSecretVariable_IsBadInput()
    {
        using var temp = new TempDir();
        string config = temp.Write("run.yaml",
            "images:\n  backend: openai\n  endpoints: [http://127.0.0.1:9/v1]\n  api_key_env: VISINSTRUCT_TEST_NOT_SET\n");
        var result = CliRunner.Run("render", "--prompt-path", SmallAbilityFile(temp), "--save-path", temp.File("out"), "--config", config);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("VISINSTRUCT_TEST_NOT_SET, which is not set", result.Error, StringComparison.Ordinal);
    }
}
