using System.Globalization;
using VisInstruct.Engine;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

/// <summary>
/// <c>merge</c> refuses shards that do not belong together (other settings) or do not hold what their outputs name (a
/// missing image), naming the shard and the difference; and it reads the shards without writing beside their run
/// state. Shards made by the real command line.
/// </summary>
public class MergeRefusalTests
{
    private static void Shard(TempDir dir, int index, int count, params string[] extra)
    {
        var made = CliRunner.Run([
            "generate", "--out", dir.File($"s{index}"), "--abilities", "color", "--quiet",
            "--shard-index", index.ToString(CultureInfo.InvariantCulture), "--shard-count", "2", .. extra,
            "--count", count.ToString(CultureInfo.InvariantCulture),
        ]);
        Assert.True(made.ExitCode == 0, made.Error);
    }

    private static CliRunner.Result Merge(TempDir dir) =>
        CliRunner.Run("merge", dir.File("s0"), dir.File("s1"), "--out", dir.File("merged"));

    /// <summary>What lies in each shard's <c>.visinstruct</c> folder, to see that merge adds nothing there.</summary>
    private static List<string> StateFolders(TempDir dir) => new[] { "s0", "s1" }
        .SelectMany(s =>
            Directory.EnumerateFileSystemEntries(dir.File(s, ".visinstruct"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir.Path, f)))
        .Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void ShardsWithAnotherCount_AreRefused_NamingTheShardTheSettingAndBothValues()
    {
        using var dir = new TempDir();
        Shard(dir, 0, 4);
        Shard(dir, 1, 5);

        var result = Merge(dir);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{dir.File("s1")} was made with other settings than {dir.File("s0")}", result.Error, StringComparison.Ordinal);
        Assert.Contains($"count_per_ability is 5 in {dir.File("s1")} but 4 in {dir.File("s0")}", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("merged")));
    }

    [Fact]
    public void ShardsWithAnotherFingerprint_AreRefused_NamingTheSetting()
    {
        using var dir = new TempDir();
        Shard(dir, 0, 3);
        Shard(dir, 1, 3, "--config", dir.Write("run.yaml", "stablellava:\n  lane_size: 4\n"));

        var result = Merge(dir);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(dir.File("s1") + " was made with other settings", result.Error, StringComparison.Ordinal);
        Assert.Contains("lanes is ", result.Error, StringComparison.Ordinal);
        Assert.Contains("stablellava.lane_size is 4 in " + dir.File("s1") + " but (absent) in " + dir.File("s0"), result.Error,
            StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("merged")));
    }

    [Fact]
    public void ShardsDifferingOnlyInHowTheyRan_AreMerged()
    {
        using var dir = new TempDir();
        Shard(dir, 0, 3);
        Shard(dir, 1, 3, "--config", dir.Write("run.yaml", "max_failure_ratio: 0.5\n"));

        var result = Merge(dir);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(File.Exists(dir.File("merged", "llava.json")));
    }

    [Fact]
    public void ShardMissingAnImage_IsRefused_NamingTheShardAndTheFile()
    {
        using var dir = new TempDir();
        Shard(dir, 0, 4);
        Shard(dir, 1, 4);
        string image =
            Directory.EnumerateFiles(dir.File("s1", "images"), "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        string relative = Path.GetRelativePath(dir.File("s1"), image).Replace('\\', '/');
        File.Delete(image);

        var result = Merge(dir);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{dir.File("s1")}: a file its outputs name is missing: {relative}", result.Error, StringComparison.Ordinal);
        Assert.Contains("run that shard again", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("merged")));
    }

    [Fact]
    public void EveryMissingFileCounts_NotOnlyTheFirst()
    {
        using var dir = new TempDir();
        Shard(dir, 0, 4);
        Shard(dir, 1, 4);
        var images = Directory.EnumerateFiles(dir.File("s0", "images"), "*.jpg", SearchOption.AllDirectories).ToList();
        Assert.True(images.Count >= 2);
        foreach (string image in images)
        {
            File.Delete(image);
        }

        var result = Merge(dir);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture,
            $"{dir.File("s0")}: {images.Count} files its outputs name are missing: "), result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_CreatesNoWalOrShmFileInTheShards_WhetherItMergesOrRefuses()
    {
        using var dir = new TempDir();
        Shard(dir, 0, 3);
        Shard(dir, 1, 3);
        var before = StateFolders(dir);
        Assert.DoesNotContain(before, f => f.EndsWith("-wal", StringComparison.Ordinal) || f.EndsWith("-shm", StringComparison.Ordinal));

        Assert.Equal(0, Merge(dir).ExitCode);
        Assert.Equal(before, StateFolders(dir));

        File.Delete(Directory.EnumerateFiles(dir.File("s1", "images"), "*.jpg", SearchOption.AllDirectories).First());
        Assert.Equal(2, CliRunner.Run("merge", dir.File("s0"), dir.File("s1"), "--out", dir.File("merged2")).ExitCode);
        Assert.Equal(before, StateFolders(dir));
    }

    [Fact]
    public void RunStateWithAnUncheckpointedLog_IsReadFromACopy_AndItsFolderIsLeftAsItWas()
    {
        using var dir = new TempDir();
        string live = dir.File("live", RunState.FileName);
        using (var writer = RunState.OpenForWriting(live))
        {
            writer.Meta.Set("recipe", "synthetic");
            writer.Meta.Set("note", "only in the log");
            // What a kill leaves: the database and a log whose transactions were never copied back.
            Directory.CreateDirectory(dir.File("killed"));
            File.Copy(live, dir.File("killed", RunState.FileName));
            File.Copy(live + "-wal", dir.File("killed", RunState.FileName + "-wal"));
        }

        Assert.True(new FileInfo(dir.File("killed", RunState.FileName + "-wal")).Length > 0);
        var before = Directory.EnumerateFiles(dir.File("killed")).Order(StringComparer.Ordinal).ToList();
        using (var reader = RunState.OpenForReading(dir.File("killed", RunState.FileName)))
        {
            Assert.Equal("only in the log", reader.Meta.Get("note"));
            Assert.Equal(before, Directory.EnumerateFiles(dir.File("killed")).Order(StringComparer.Ordinal).ToList());
        }

        Assert.Equal(before, Directory.EnumerateFiles(dir.File("killed")).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void ShardBeingWritten_IsRefused_NamingItsHolder()
    {
        using var dir = new TempDir();
        Shard(dir, 0, 3);
        Shard(dir, 1, 3);
        using var writer = RunState.OpenForWriting(GenerationEngine.StatePath(dir.File("s1")));

        var result = Merge(dir);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{dir.File("s1")} is being written by process {Environment.ProcessId} on {Environment.MachineName}", result.Error,
            StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("merged")));
    }
}
