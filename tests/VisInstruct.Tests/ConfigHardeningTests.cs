using System.Diagnostics;
using System.Text;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

/// <summary>
/// Careless and hostile configuration files through the real command line: each is refused with exit 2 and a message
/// naming the file, the line and column, and the key, before anything is created in the output folder.
/// </summary>
public class ConfigHardeningTests
{
    private static CliRunner.Result Generate(TempDir dir, string config, params string[] extra) =>
        CliRunner.Run(["generate", "--config", config, "--out", dir.File("out"), "--count", "1", "--abilities", "color", "--quiet",
            .. extra]);

    private static void AssertRefused(CliRunner.Result result, TempDir dir, string file, int line, params string[] parts)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{file}:{line}:", result.Error, StringComparison.Ordinal);
        foreach (string part in parts)
        {
            Assert.Contains(part, result.Error, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Version=", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")), "nothing is created for a refused configuration");
    }

    [Fact]
    public void DeeplyNestedYaml_IsRefusedWithItsPlace_NotAStackOverflow()
    {
        using var dir = new TempDir();
        string config = dir.Write("deep.yaml", "seed: 1\nllm: " + new string('[', 100_000) + new string(']', 100_000) + "\n");
        var result = Generate(dir, config);
        AssertRefused(result, dir, config, 2, "nested deeper than 64 levels", "field llm");
    }

    [Fact]
    public void AliasBomb_IsRefusedAtOnce()
    {
        var yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 9; i++)
        {
            yaml.Append($"a{i}: &a{i} [" + string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9)) + "]\n");
        }

        using var dir = new TempDir();
        string config = dir.Write("bomb.yaml", yaml.ToString());
        var clock = Stopwatch.StartNew();
        var result = Generate(dir, config);
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"refused after {clock.Elapsed}");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(config + ":", result.Error, StringComparison.Ordinal);
        Assert.Contains("aliases", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void OrdinaryAliases_StillWork()
    {
        var config =
            VisInstruct.Config.RunConfigLoader.Parse("llm: &chat\n  endpoints: [http://127.0.0.1:8000/v1]\n  model: m\nvision: *chat\n");
        Assert.Equal("m", config.Vision!.Model);
        Assert.Equal(["http://127.0.0.1:8000/v1"], config.Vision.Endpoints);
    }

    [Fact]
    public void DuplicateKeys_NameBothLines()
    {
        using var dir = new TempDir();
        string config = dir.Write("dup.yaml", "seed: 1\nimages:\n  width: 512\n  height: 512\n  width: 768\n");
        var result = Generate(dir, config);
        AssertRefused(result, dir, config, 5, "\"width\" appears twice", "line 3", "line 5", "field images.width");
    }

    [Fact]
    public void UnknownNodeRole_IsRefusedWithItsPath()
    {
        using var dir = new TempDir();
        string config = dir.Write("nodes.yaml",
            "images:\n  backend: comfyui\n  endpoints: [http://127.0.0.1:9]\n  nodes:\n    prompt: \"6\"\n    bogus: \"7\"\n");
        var result = Generate(dir, config);
        AssertRefused(result, dir, config, 6, "field images.nodes.bogus", "unknown key \"bogus\"", "prompt, negative");
    }

    [Fact]
    public void NonUtf8Byte_IsNamedByItsOffset()
    {
        using var dir = new TempDir();
        byte[] bytes = [.. "seed: 1\nimages:\n  negative_prompt: caf"u8, 0xE9, .. "\n"u8];
        string config = dir.Write("latin1.yaml", bytes);
        var result = Generate(dir, config);
        AssertRefused(result, dir, config, 3, "0xE9", "not UTF-8", "byte offset 38");
    }

    [Theory]
    [InlineData("max_failure_ratio: .nan\n", 1, "max_failure_ratio", "NaN")]
    [InlineData("images:\n  guidance: .inf\n", 2, "images.guidance", "infinity")]
    public void NonFiniteNumbers_AreRefusedInWords(string yaml, int line, string key, string word)
    {
        using var dir = new TempDir();
        string config = dir.Write("nan.yaml", yaml);
        var result = Generate(dir, config);
        AssertRefused(result, dir, config, line, "field " + key, word);
        Assert.DoesNotContain("JSON value", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("llm: just-a-name\n", "field llm", "a section of keys")]
    [InlineData("llm:\n  endpoints: http://127.0.0.1:9/v1\n  model: m\n", "field llm.endpoints", "a list")]
    [InlineData("count: [1, 2]\n", "field count", "a whole number")]
    public void WrongShapes_AreExplainedWithoutTypeNames(string yaml, string field, string words)
    {
        using var dir = new TempDir();
        string config = dir.Write("shape.yaml", yaml);
        var result = Generate(dir, config);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(config + ":", result.Error, StringComparison.Ordinal);
        Assert.Contains(field, result.Error, StringComparison.Ordinal);
        Assert.Contains(words, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("VisInstruct.Config", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Positions_AreInBytes_AfterNonAsciiText()
    {
        using var dir = new TempDir();
        string config = dir.Write("utf8.yaml", "# café ☕\ncount: many\n");
        var result = Generate(dir, config);
        int offset = Encoding.UTF8.GetByteCount("# café ☕\ncount: ");
        AssertRefused(result, dir, config, 2, $"{config}:2:8:", "field count", "takes a whole number", $"byte offset {offset})");
    }

    [Fact]
    public void LlmWithoutEndpoints_IsRefused_NotRunOffline()
    {
        using var dir = new TempDir();
        string config = dir.Write("llm.yaml", "seed: 1\nllm:\n  model: Qwen2.5-7B-Instruct\n");
        var result = Generate(dir, config);
        AssertRefused(result, dir, config, 2, "field llm", "no endpoints");
    }

    [Theory]
    [InlineData("llm:\n  endpoints: [\"http://alice:s3cret@127.0.0.1:9/v1\"]\n  model: m\n", "llm.endpoints[0]", "llm.api_key_env")]
    [
        InlineData("images:\n  backend: a1111\n  endpoints: [\"http://alice:s3cret@127.0.0.1:9\"]\n", "images.endpoints[0]",
        "images.password_env")]
    public void CredentialsInAnEndpoint_AreRefusedAndNeverEchoed(string yaml, string field, string instead)
    {
        using var dir = new TempDir();
        string config = dir.Write("creds.yaml", yaml);
        var result = Generate(dir, config);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("field " + field, result.Error, StringComparison.Ordinal);
        Assert.Contains(instead, result.Error, StringComparison.Ordinal);
        Assert.Contains("***@127.0.0.1", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", result.Error + result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", result.Error + result.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void AFolderGivenAsTheConfig_IsSaidSo()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("conf.d"));
        var result = Generate(dir, dir.File("conf.d"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(dir.File("conf.d") + ": this is a folder", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Access to the path", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FoldersNamedInTheConfig_AreSaidToBeFolders()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("vg"));
        string config = dir.Write("ann.yaml", "annotations:\n  vg_image_data: vg\n  vg_objects: vg\n  vg_regions: vg\n");
        var annotations = CliRunner.Run("generate", "--recipe", "svit", "--config", config, "--out", dir.File("out"), "--quiet");
        Assert.Equal(2, annotations.ExitCode);
        Assert.Contains("annotations.vg_image_data: " + dir.File("vg") + " is a folder", annotations.Error, StringComparison.Ordinal);

        string abilities = dir.Write("abilities.yaml", "stablellava:\n  abilities_file: vg\n");
        var ability = Generate(dir, abilities);
        Assert.Equal(2, ability.ExitCode);
        Assert.Contains(dir.File("vg") + ": this is a folder", ability.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Access to the path", annotations.Error + ability.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Theory]
    [InlineData("--max-failure-ratio", "NaN", "--max-failure-ratio must be a number between 0 and 1")]
    [InlineData("--max-cost", "-1", "--max-cost must not be negative")]
    [InlineData("--max-requests", "-5", "--max-requests must not be negative")]
    public void BadBudgetsAndRatios_AreUsageErrors(string option, string value, string message)
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("generate", "--out", dir.File("out"), "--count", "1", "--abilities", "color", "--quiet", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void OutThatIsAFile_IsBadUsage()
    {
        using var dir = new TempDir();
        string file = dir.Write("taken", "a user's file");
        var result = CliRunner.Run("generate", "--out", file, "--count", "1", "--abilities", "color", "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--out {file} is a file", result.Error, StringComparison.Ordinal);
        Assert.Equal("a user's file", File.ReadAllText(file));

        var render = CliRunner.Run("render", "--prompt-path", dir.Write("dataset/color.json", "[]"), "--save-path", file, "--quiet");
        Assert.Equal(2, render.ExitCode);
        Assert.Contains($"--save-path {file} is a file", render.Error, StringComparison.Ordinal);

        var merge = CliRunner.Run("merge", dir.File("no-shard"), "--out", file);
        Assert.Equal(2, merge.ExitCode);
        Assert.Contains($"--out {file} is a file", merge.Error, StringComparison.Ordinal);
        Assert.Equal("a user's file", File.ReadAllText(file));
    }
}
