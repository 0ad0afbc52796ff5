using FsCheck;
using FsCheck.Fluent;
using VisInstruct.Engine;
using VisInstruct.EngineHost;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Engine;

public class EngineLawTests
{
    [Fact]
    public void Concurrency1_And_Concurrency64_GiveTheSameBytes()
    {
        Prop.ForAll(Gen.Choose(1, 150).ToArbitrary(), Gen.Choose(0, 9).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(),
            (items, failEvery, seed) =>
        {
            using var temp = new TempDir();
            var recipe = new SyntheticRecipe { Items = items, FailEvery = failEvery == 1 ? 0 : failEvery, DropEvery = 7,
                Latency = TimeSpan.FromMilliseconds(1) };
            EngineFixture.Run(recipe, EngineFixture.Options(temp.File("one"), concurrency: 1, seed: (ulong)seed));
            EngineFixture.Run(recipe, EngineFixture.Options(temp.File("many"), concurrency: 64, seed: (ulong)seed));
            return EngineFixture.DatasetHashes(temp.File("one")).SequenceEqual(EngineFixture.DatasetHashes(temp.File("many")));
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(12));
    }

    [Fact]
    public void ShardsMerged_EqualTheUnshardedRun()
    {
        Prop.ForAll(Gen.Choose(1, 120).ToArbitrary(), Gen.Choose(2, 5).ToArbitrary(), (items, shards) =>
        {
            using var temp = new TempDir();
            var recipe = new SyntheticRecipe { Items = items, FailEvery = 11, DropEvery = 5 };
            EngineFixture.Run(recipe, EngineFixture.Options(temp.File("whole")));
            var shardDirs = new List<string>();
            for (int i = 0; i < shards; i++)
            {
                string dir = temp.File("shard" + i);
                shardDirs.Add(dir);
                EngineFixture.Run(recipe, EngineFixture.Options(dir) with { Shard = new ShardSpec(i, shards) });
            }

            var merged = ShardMerge.Merge(shardDirs, temp.File("merged"), _ => null);
            return merged.Items == items
                && EngineFixture.DatasetHashes(temp.File("whole")).SequenceEqual(EngineFixture.DatasetHashes(temp.File("merged")));
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(8));
    }

    [Fact]
    public void Shards_SplitTheItemsWithoutOverlap()
    {
        var owners = Enumerable.Range(0, 1000).Select(i => SyntheticRecipe.Key(i)).Select(k => ShardSpec.ShardOf(k, 4)).ToList();
        Assert.All(Enumerable.Range(0, 4), s => Assert.InRange(owners.Count(o => o == s), 200, 300));
    }

    [Fact]
    public void KilledAtRandomPointsThenResumed_EqualsTheUninterruptedRun()
    {
        using var temp = new TempDir();
        const int Items = 3000;
        var recipe = new SyntheticRecipe { Items = Items, FailEvery = 13, DropEvery = 17 };
        EngineFixture.Run(recipe, EngineFixture.Options(temp.File("reference"), concurrency: 8));

        string killed = temp.File("killed");
        var random = new Random(2026);
        int kills = 0;
        for (int round = 0; round < 5; round++)
        {
            using var process = StartHost(killed, Items);
            Thread.Sleep(random.Next(600, 1500));
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                kills++;
            }

            Assert.True(process.WaitForExit(60_000), "a killed run did not exit");
        }

        var output = new System.Text.StringBuilder();
        using (var final = StartHost(killed, Items, output))
        {
            Assert.True(final.WaitForExit(120_000), "the resumed run did not finish");
            final.WaitForExit();
            Assert.True(final.ExitCode == 0, $"the resumed run exited {final.ExitCode}: {output}");
        }

        Assert.True(kills >= 3, $"only {kills} runs were killed mid-way; the test needs a slower workload");
        Assert.Equal(EngineFixture.DatasetHashes(temp.File("reference")), EngineFixture.DatasetHashes(killed));
        var indexes = EngineFixture.DataIndexes(killed);
        Assert.Equal(indexes.Distinct().Count(), indexes.Count);
    }

    private static System.Diagnostics.Process StartHost(string output, int items, System.Text.StringBuilder? log = null)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The request journal goes on in a new file every few records, so that kills land around that too.
        start.Environment["VISINSTRUCT_JOURNAL_ROTATE_BYTES"] = "4096";
        foreach (string arg in new[] { EngineFixture.HostPath(), "--out", output, "--items",
            items.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--concurrency", "8", "--latency-ms", "15", "--fail-every", "13", "--drop-every", "17", "--seed", "7", "--flush-ms", "50" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = System.Diagnostics.Process.Start(start)!;
        void Keep(string? line)
        {
            if (log is not null && line is not null)
            {
                lock (log)
                {
                    log.AppendLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    [Fact]
    public void ASecondIdenticalRun_IsAnsweredFromTheCache()
    {
        using var temp = new TempDir();
        var first = new SyntheticRecipe { Items = 80 };
        var outcome = EngineFixture.Run(first, EngineFixture.Options(temp.Path));
        Assert.Equal(160, first.BackendCalls);
        var before = EngineFixture.DatasetHashes(temp.Path);

        var second = new SyntheticRecipe { Items = 80 };
        var again = EngineFixture.Run(second, EngineFixture.Options(temp.Path) with { ForceNew = true });
        Assert.Equal(0, second.BackendCalls);
        Assert.Equal(80, again.ProcessedNow);
        Assert.Equal(160, again.UsageThisRun.Sum(u => u.CacheHits));
        Assert.Equal(before, EngineFixture.DatasetHashes(temp.Path));
        Assert.Equal(outcome.Done, again.Done);
    }

    [Fact]
    public void Resume_SkipsFinishedItemsAndPaysNothingTwice()
    {
        using var temp = new TempDir();
        var first = new SyntheticRecipe { Items = 100 };
        EngineFixture.Run(first, EngineFixture.Options(temp.Path) with { ItemLimit = 30 });
        Assert.Equal(60, first.BackendCalls);

        var second = new SyntheticRecipe { Items = 100 };
        var outcome = EngineFixture.Run(second, EngineFixture.Options(temp.Path));
        Assert.Equal(140, second.BackendCalls);
        Assert.Equal(70, outcome.ProcessedNow);
        Assert.True(outcome.Complete);
    }

    [Fact]
    public void RetryFailed_TouchesOnlyTheFailedItems()
    {
        using var temp = new TempDir();
        var first = new SyntheticRecipe { Items = 100, FailEvery = 10, FailOnce = true };
        var outcome = EngineFixture.Run(first, EngineFixture.Options(temp.Path));
        Assert.Equal(10, outcome.Failed);
        Assert.Equal(90, outcome.Done);
        var dataBefore = File.ReadAllText(temp.File("data.json"));

        var retry = new SyntheticRecipe { Items = 100, FailEvery = 10, FailOnce = true };
        var retried = EngineFixture.Run(retry, EngineFixture.Options(temp.Path) with { RetryFailed = true });
        Assert.Equal(10, retried.ProcessedNow);
        Assert.Equal(20, retry.BackendCalls);
        Assert.Equal(0, retried.Failed);
        Assert.Equal(100, retried.Done);

        using var reference = new TempDir();
        EngineFixture.Run(new SyntheticRecipe { Items = 100 }, EngineFixture.Options(reference.Path));
        Assert.Equal(EngineFixture.DatasetHashes(reference.Path), EngineFixture.DatasetHashes(temp.Path));
        Assert.NotEqual(dataBefore, File.ReadAllText(temp.File("data.json")));
    }

    [Fact]
    public void PlainRerun_DoesNotRetryFailures()
    {
        using var temp = new TempDir();
        EngineFixture.Run(new SyntheticRecipe { Items = 50, FailEvery = 10, FailOnce = true }, EngineFixture.Options(temp.Path));
        var again = new SyntheticRecipe { Items = 50, FailEvery = 10, FailOnce = true };
        var outcome = EngineFixture.Run(again, EngineFixture.Options(temp.Path));
        Assert.Equal(0, again.BackendCalls);
        Assert.Equal(5, outcome.Failed);
    }
}
