using System.Diagnostics;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

/// <summary>
/// Inputs that once ended in an unhandled exception (exit 134 and a stack trace): each is now a located message and a
/// documented exit code, through the real command line.
/// </summary>
public class NoCrashTests
{
    private static void AssertNoTrace(CliRunner.Result result)
    {
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
    }

    private static string ComfyConfig(TempDir dir, string workflow) =>
        dir.Write("run.yaml", $"images:\n  backend: comfyui\n  endpoints: [http://127.0.0.1:9]\n  workflow: {workflow}\n");

    [Fact]
    public void TruncatedWorkflow_NamesTheWorkflowFileAndWhere()
    {
        using var dir = new TempDir();
        dir.Write("wf.json", "{\"3\": {\"class_type\": \"KSampler\",\n \"inputs\": {\"seed\": 1");
        var result =
            CliRunner.Run("generate", "--config", ComfyConfig(dir, "wf.json"), "--out", dir.File("out"), "--count", "1", "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(dir.File("wf.json") + ":2:", result.Error, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", result.Error, StringComparison.Ordinal);
        Assert.Contains("byte offset", result.Error, StringComparison.Ordinal);
        AssertNoTrace(result);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void DeeplyNestedWorkflow_IsRefusedWithItsPlace()
    {
        using var dir = new TempDir();
        dir.Write("wf.json", "{\"3\": " + new string('[', 100_000) + new string(']', 100_000) + "}");
        var result =
            CliRunner.Run("generate", "--config", ComfyConfig(dir, "wf.json"), "--out", dir.File("out"), "--count", "1", "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(dir.File("wf.json") + ":1:", result.Error, StringComparison.Ordinal);
        Assert.Contains("nested deeper than 64 levels", result.Error, StringComparison.Ordinal);
        AssertNoTrace(result);
    }

    [Fact]
    public void WorkflowNotInApiFormat_IsBadInput()
    {
        using var dir = new TempDir();
        dir.Write("wf.json", "{\"nodes\": [], \"links\": []}");
        var result =
            CliRunner.Run("generate", "--config", ComfyConfig(dir, "wf.json"), "--out", dir.File("out"), "--count", "1", "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(dir.File("wf.json") + ": ", result.Error, StringComparison.Ordinal);
        Assert.Contains("API format", result.Error, StringComparison.Ordinal);
        AssertNoTrace(result);
    }

    [Fact]
    public void CorruptShardState_InMerge_NamesTheShard()
    {
        using var dir = new TempDir();
        foreach (int i in new[] { 0, 1 })
        {
            var made = CliRunner.Run("generate", "--out", dir.File($"s{i}"), "--count", "2", "--abilities", "color", "--quiet",
                "--shard-index", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "--shard-count", "2");
            Assert.Equal(0, made.ExitCode);
        }

        string state = dir.File("s1", ".visinstruct", "state.db");
        byte[] bytes = File.ReadAllBytes(state);
        new Random(7).NextBytes(bytes.AsSpan(0, Math.Min(4096, bytes.Length)));
        File.WriteAllBytes(state, bytes);

        var result = CliRunner.Run("merge", dir.File("s0"), dir.File("s1"), "--out", dir.File("merged"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(dir.File("s1") + ": the shard's run state " + state + " cannot be read", result.Error, StringComparison.Ordinal);
        Assert.Contains("run that shard again", result.Error, StringComparison.Ordinal);
        AssertNoTrace(result);
        Assert.False(Directory.Exists(dir.File("merged")));
    }

    [Fact]
    public void CorruptRunState_OnResume_IsBadInput_AndSaysWhatToDo()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("generate", "--out", dir.File("out"), "--count", "2", "--abilities", "color", "--quiet").ExitCode);
        string state = dir.File("out", ".visinstruct", "state.db");
        File.WriteAllBytes(state, System.Text.Encoding.ASCII.GetBytes("this is not a database, it was cut short"));
        foreach (string leftover in new[] { state + "-wal", state + "-shm" })
        {
            File.Delete(leftover);
        }

        string before = File.ReadAllText(dir.File("out", "llava.json"));
        var result = CliRunner.Run("generate", "--out", dir.File("out"), "--count", "2", "--abilities", "color", "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(state + ": the run state cannot be read (it is not an SQLite database)", result.Error, StringComparison.Ordinal);
        Assert.Contains("aside", result.Error, StringComparison.Ordinal);
        AssertNoTrace(result);
        Assert.Equal(before, File.ReadAllText(dir.File("out", "llava.json")));
    }

    /// <summary>A real full filesystem (a 3 MB tmpfs; needs root to mount): exit 1, the path named, and the run resumes once there is
    /// room.</summary>
    [Fact]
    public void FullDisk_DuringGenerate_IsExit1_Resumable()
    {
        using var dir = new TempDir();
        string mount = dir.File("small");
        Directory.CreateDirectory(mount);
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || Run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount)
            != 0)
        {
            Assert.Skip("needs Linux and root to mount a small tmpfs");
        }

        try
        {
            string output = Path.Combine(mount, "out");
            var full = CliRunner.Run("generate", "--out", output, "--count", "400", "--abilities", "color", "--quiet");
            Assert.Equal(1, full.ExitCode);
            Assert.Contains("the disk is full: " + output, full.Error, StringComparison.Ordinal);
            Assert.Contains("run the same command again to resume", full.Error, StringComparison.Ordinal);
            AssertNoTrace(full);

            Assert.Equal(0, Run("mount", "-o", "remount,size=64m", mount));
            var resumed = CliRunner.Run("generate", "--out", output, "--count", "400", "--abilities", "color", "--quiet");
            Assert.Equal(0, resumed.ExitCode);
            Assert.Contains("400 done, 0 failed", resumed.Out, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(output, ".visinstruct", "tmp")));
        }
        finally
        {
            Run("umount", "-l", mount);
        }
    }

    /// <summary>A conversion that fills the disk: exit 1 with the path, no temporary file left, the old output kept.</summary>
    [Fact]
    public void FullDisk_DuringAConversion_IsExit1_AndLeavesNothing()
    {
        using var dir = new TempDir();
        string mount = dir.File("small");
        Directory.CreateDirectory(mount);
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount)
            != 0)
        {
            Assert.Skip("needs Linux and root to mount a small tmpfs");
        }

        try
        {
            string input = dir.Write("big.json", "[" + string.Join(", ", Enumerable.Range(0, 20_000).Select(i =>
                $"{{\"image_id\": 101, \"conversations\": [{{\"content\": [{{\"from\": \"user\", \"value\": \"q {i} [0.1, 0.2, 0.3, "
                    + $"0.4]\"}}]}}]}}")) + "]");
            string output = Path.Combine(mount, "out.json");
            File.WriteAllText(output, "what the user had");
            var result = CliRunner.Run("expand-to-square", "--input-file", input, "--image-dir", Paths.Data("expand_to_square", "images"),
                "--output-file", output);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("the disk is full: " + mount, result.Error, StringComparison.Ordinal);
            AssertNoTrace(result);
            Assert.Equal(["out.json"], Directory.EnumerateFileSystemEntries(mount).Select(Path.GetFileName));
            Assert.Equal("what the user had", File.ReadAllText(output));
        }
        finally
        {
            Run("umount", "-l", mount);
        }
    }

    [Fact]
    public void AliasBombInAnAbilitiesFile_IsRefusedToo()
    {
        using var dir = new TempDir();
        var yaml = new System.Text.StringBuilder("abilities:\n  x: &a0 {instruction: [q, q, q, q, q, q, q, q, q]}\n");
        for (int i = 1; i <= 9; i++)
        {
            yaml.Append($"  y{i}: &a{i} [" + string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9)) + "]\n");
        }

        string abilities = dir.Write("abilities.yaml", yaml.ToString());
        string config = dir.Write("run.yaml", "stablellava:\n  abilities_file: abilities.yaml\n");
        var clock = Stopwatch.StartNew();
        var result = CliRunner.Run("generate", "--config", config, "--out", dir.File("out"), "--count", "1", "--quiet");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"refused after {clock.Elapsed}");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(abilities + ":", result.Error, StringComparison.Ordinal);
        Assert.Contains("aliases", result.Error, StringComparison.Ordinal);
    }

    private static int Run(string program, params string[] args)
    {
        try
        {
            using var process =
                Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
