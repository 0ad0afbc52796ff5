using VisInstruct.Engine;
using VisInstruct.EngineHost;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Engine;

public class ShardTests
{
    private static Dictionary<string, string?> Env(params (string Name, string Value)[] values) =>
        values.ToDictionary(v => v.Name, v => (string?)v.Value);

    [Fact]
    public void Flags_Win()
    {
        Assert.Equal(new ShardSpec(2, 5), ShardSpec.Resolve(2, 5, Env(("SLURM_ARRAY_TASK_ID", "9"))));
        Assert.Equal(ShardSpec.Whole, ShardSpec.Resolve(null, null, Env()));
    }

    [Fact]
    public void SlurmArray_GivesIndexMinusMinAndTheCount() =>
        Assert.Equal(new ShardSpec(3, 8),
            ShardSpec.Resolve(null, null,
            Env(("SLURM_ARRAY_TASK_ID", "4"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "8"))));

    [Fact]
    public void KubernetesIndexedJob_TakesTheCountFromFlagOrEnvironment()
    {
        Assert.Equal(new ShardSpec(4, 6), ShardSpec.Resolve(null, 6, Env(("JOB_COMPLETION_INDEX", "4"))));
        Assert.Equal(new ShardSpec(4, 6),
            ShardSpec.Resolve(null, null, Env(("JOB_COMPLETION_INDEX", "4"), ("VISINSTRUCT_SHARD_COUNT", "6"))));
        var error = Assert.Throws<ArgumentException>(() => ShardSpec.Resolve(null, null, Env(("JOB_COMPLETION_INDEX", "4"))));
        Assert.Contains("--shard-count", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(-1, 3)]
    public void IndexOutOfRange_IsRefused(int index, int count) =>
        Assert.Throws<ArgumentException>(() => ShardSpec.Resolve(index, count, Env()));

    [Fact]
    public void Merge_RefusesMissingIncompleteOrForeignShards()
    {
        using var temp = new TempDir();
        var recipe = new SyntheticRecipe { Items = 30 };
        for (int i = 0; i < 3; i++)
        {
            EngineFixture.Run(recipe, EngineFixture.Options(temp.File("s" + i)) with { Shard = new ShardSpec(i, 3) });
        }

        var missing = Assert.Throws<MergeException>(() => ShardMerge.Merge([temp.File("s0"), temp.File("s1")], temp.File("m"), _ => null));
        Assert.Contains("shards 3 of 3 are missing", missing.Message, StringComparison.Ordinal);

        var twice = Assert.Throws<MergeException>(() =>
            ShardMerge.Merge([temp.File("s0"), temp.File("s0"), temp.File("s1")], temp.File("m"), _ => null));
        Assert.Contains("both shard 1 of 3", twice.Message, StringComparison.Ordinal);

        EngineFixture.Run(new SyntheticRecipe { Items = 30, Style = "other" },
            EngineFixture.Options(temp.File("x2")) with { Shard = new ShardSpec(2, 3) });
        var foreign = Assert.Throws<MergeException>(() =>
            ShardMerge.Merge([temp.File("s0"), temp.File("s1"), temp.File("x2")], temp.File("m"), _ => null));
        Assert.Contains("other settings", foreign.Message, StringComparison.Ordinal);

        EngineFixture.Run(recipe, EngineFixture.Options(temp.File("partial")) with { Shard = new ShardSpec(2, 3), ItemLimit = 2 });
        var incomplete = Assert.Throws<MergeException>(() =>
            ShardMerge.Merge([temp.File("s0"), temp.File("s1"), temp.File("partial")], temp.File("m"), _ => null));
        Assert.Contains("is not complete", incomplete.Message, StringComparison.Ordinal);

        Assert.Throws<MergeException>(() => ShardMerge.Merge([temp.File("s0")], temp.File("s0"), _ => null));
    }

    [Fact]
    public void Merge_GathersGeneratedFiles()
    {
        using var temp = new TempDir();
        var recipe = new SyntheticRecipe { Items = 10 };
        for (int i = 0; i < 2; i++)
        {
            string dir = temp.File("s" + i);
            EngineFixture.Run(recipe, EngineFixture.Options(dir) with { Shard = new ShardSpec(i, 2) });
            temp.Write($"s{i}/images/shard{i}.png", "image " + i);
        }

        ShardMerge.Merge([temp.File("s0"), temp.File("s1")], temp.File("m"), _ => null);
        Assert.Equal("image 0", File.ReadAllText(temp.File("m", "images", "shard0.png")));
        Assert.Equal("image 1", File.ReadAllText(temp.File("m", "images", "shard1.png")));
        Assert.False(File.Exists(temp.File("m", "run.log")));
    }
}
