using System.Text.Json;
using VisInstruct.Engine;
using VisInstruct.EngineHost;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Engine;

public class EngineBehaviourTests
{
    [Fact]
    public void Failures_AreRecordedWithStageKindAndAttempts_AndTheRunGoesOn()
    {
        using var temp = new TempDir();
        var outcome =
            EngineFixture.Run(new SyntheticRecipe { Items = 40, FailEvery = 10, DropEvery = 15 }, EngineFixture.Options(temp.Path));
        // Items 0, 10, 20, 30 fail at "write"; of 0, 15, 30 (every 15th) only 15 gets as far as "assemble".
        Assert.Equal(4, outcome.Failed);
        Assert.Equal(1, outcome.Dropped);
        Assert.Equal(35, outcome.Done);
        Assert.Contains(outcome.Failures, f => f is { Stage: "write", Kind: "injected", Dropped: false, Count: 4 });
        Assert.Contains(outcome.Failures, f => f is { Stage: "assemble", Kind: "check", Dropped: true, Count: 1 });

        var lines = File.ReadAllLines(temp.File("failures.jsonl"));
        Assert.Equal(5, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("00000000", first.RootElement.GetProperty("key").GetString());
        Assert.Equal("failed", first.RootElement.GetProperty("status").GetString());
        Assert.Equal("write", first.RootElement.GetProperty("stage").GetString());
        Assert.Equal("llm", first.RootElement.GetProperty("backend").GetString());
        Assert.Equal(1, first.RootElement.GetProperty("attempts").GetInt32());
        Assert.Contains(lines, l => l.Contains("\"status\": \"dropped\"", StringComparison.Ordinal));
    }

    [Fact]
    public void FailureRatio_DecidesTheOutcome()
    {
        using var temp = new TempDir();
        var outcome = EngineFixture.Run(new SyntheticRecipe { Items = 40, FailEvery = 10 },
            EngineFixture.Options(temp.Path) with { MaxFailureRatio = 0.05 });
        Assert.Equal(4.0 / 40, outcome.FailureRatio, 6);
        Assert.True(outcome.FailureRatioExceeded);

        using var lenient = new TempDir();
        Assert.False(EngineFixture.Run(new SyntheticRecipe { Items = 40, FailEvery = 10 },
            EngineFixture.Options(lenient.Path) with { MaxFailureRatio = 0.2 }).FailureRatioExceeded);
    }

    [Fact]
    public void RequestBudget_StopsCleanly_AndTheNextRunCompletesTheSameDataset()
    {
        using var temp = new TempDir();
        var stopped = EngineFixture.Run(new SyntheticRecipe { Items = 100 }, EngineFixture.Options(temp.Path) with { MaxRequests = 50 });
        Assert.False(stopped.Complete);
        Assert.Contains("--max-requests 50", stopped.StopReason, StringComparison.Ordinal);
        Assert.Equal(0, stopped.Failed);
        // A cap: never more than 50 sent. When the stop begins, requests reserved but not yet sent are not sent, so a
        // few of the 16 in flight may leave it just under.
        Assert.InRange(stopped.Usage.Sum(u => u.Requests), 50 - 16, 50);
        using (var manifest = JsonDocument.Parse(File.ReadAllBytes(temp.File("manifest.json"))))
        {
            Assert.False(manifest.RootElement.GetProperty("complete").GetBoolean());
        }

        var finished = EngineFixture.Run(new SyntheticRecipe { Items = 100 }, EngineFixture.Options(temp.Path));
        Assert.True(finished.Complete);
        using var reference = new TempDir();
        EngineFixture.Run(new SyntheticRecipe { Items = 100 }, EngineFixture.Options(reference.Path));
        Assert.Equal(EngineFixture.DatasetHashes(reference.Path), EngineFixture.DatasetHashes(temp.Path));
    }

    [Fact]
    public void CostBudget_CountsEarlierRuns()
    {
        using var temp = new TempDir();
        var prices = new PriceTable(new Dictionary<string, ModelPrice> { ["writer-1"] = new(Input: 1000m, Output: 1000m) });
        var first = EngineFixture.Run(new SyntheticRecipe { Items = 100 },
            EngineFixture.Options(temp.Path) with { Prices = prices, MaxCost = 0.5m });
        Assert.False(first.Complete);
        // A cap, not a threshold: the run stops before a request whose worst case would cross it.
        Assert.True(first.Cost <= 0.5m, $"spent {first.Cost}");
        Assert.True(first.Cost > 0m);
        Assert.Contains("--max-cost", first.StopReason, StringComparison.Ordinal);
        // The second run's budget holds what the first spent: together they stay under the cap. (It may still finish
        // a few items: the first stopped while reservations of requests in flight were open, some of them unused.)
        var second = EngineFixture.Run(new SyntheticRecipe { Items = 100 },
            EngineFixture.Options(temp.Path) with { Prices = prices, MaxCost = 0.5m });
        Assert.False(second.Complete);
        Assert.True(second.Cost >= first.Cost && second.Cost <= 0.5m, $"spent {first.Cost}, then {second.Cost} in all");
        Assert.True(second.ProcessedNow < 100 - first.ProcessedNow, $"the second run processed {second.ProcessedNow}");
        Assert.Contains("--max-cost", second.StopReason, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangedConfiguration_IsRefusedNamingWhatChanged_OrAcceptedWithForceNew()
    {
        using var temp = new TempDir();
        EngineFixture.Run(new SyntheticRecipe { Items = 10, Style = "plain" }, EngineFixture.Options(temp.Path));
        var error = Assert.Throws<ConfigChangedException>(() =>
            EngineFixture.Run(new SyntheticRecipe { Items = 10, Style = "fancy" }, EngineFixture.Options(temp.Path)));
        Assert.Contains("style: \"plain\" -> \"fancy\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("--force-new", error.Message, StringComparison.Ordinal);

        var accepted = EngineFixture.Run(new SyntheticRecipe { Items = 10, Style = "fancy" },
            EngineFixture.Options(temp.Path) with { ForceNew = true });
        Assert.Equal(10, accepted.ProcessedNow);
    }

    [Fact]
    public void MoreItemsLater_ExtendTheRunWithoutRedoingTheFirst()
    {
        using var temp = new TempDir();
        EngineFixture.Run(new SyntheticRecipe { Items = 20 }, EngineFixture.Options(temp.Path));
        var more = new SyntheticRecipe { Items = 30 };
        var outcome = EngineFixture.Run(more, EngineFixture.Options(temp.Path));
        Assert.Equal(10, outcome.ProcessedNow);
        Assert.Equal(20, more.BackendCalls);
        Assert.Equal(30, EngineFixture.DataIndexes(temp.Path).Count);
    }

    [Fact]
    public void ASecondWriter_IsRefusedWithAClearMessage()
    {
        using var temp = new TempDir();
        using var holder = RunState.OpenForWriting(GenerationEngine.StatePath(temp.Path));
        var error =
            Assert.Throws<RunLockedException>(() => EngineFixture.Run(new SyntheticRecipe { Items = 5 }, EngineFixture.Options(temp.Path)));
        Assert.Contains("another visinstruct process is using this run", error.Message, StringComparison.Ordinal);
        Assert.Contains("process " + Environment.ProcessId, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StaleLockOfADeadProcess_IsTakenOver()
    {
        using var temp = new TempDir();
        string state = GenerationEngine.StatePath(temp.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(state)!);
        File.WriteAllText(state + ".lock", $"{Environment.MachineName} 999999\n");
        Assert.True(EngineFixture.Run(new SyntheticRecipe { Items = 5 }, EngineFixture.Options(temp.Path)).Complete);
    }

    [Fact]
    public void Watchdog_NamesTheStageAndBackendItWaitsOn()
    {
        using var temp = new TempDir();
        var observer = new RecordingObserver();
        EngineFixture.Run(new SyntheticRecipe { Items = 2, Latency = TimeSpan.FromMilliseconds(700), FixedLatency = true,
            SingleStage = true },
            EngineFixture.Options(temp.Path) with { StallWarning = TimeSpan.FromMilliseconds(150) }, observer);
        string warning = observer.Notices.First(n => n.StartsWith("warning: no progress for", StringComparison.Ordinal));
        Assert.Contains("stage 'write' (backend llm): 2 in flight", warning, StringComparison.Ordinal);
        Assert.Contains(warning, File.ReadAllText(temp.File("run.log")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_LeavesInFlightItemsPendingAndResumable()
    {
        using var temp = new TempDir();
        using var control = new RunControl();
        var recipe = new SyntheticRecipe { Items = 200, Latency = TimeSpan.FromMilliseconds(20) };
        var run = new GenerationEngine(recipe.Plan(), EngineFixture.Options(temp.Path), null, control).RunAsync();
        await Task.Delay(300);
        control.Stop("interrupted");
        var outcome = await run;
        Assert.Equal("interrupted", outcome.StopReason);
        Assert.False(outcome.Complete);
        Assert.Equal(0, outcome.Failed);

        EngineFixture.Run(new SyntheticRecipe { Items = 200, Latency = TimeSpan.FromMilliseconds(1) }, EngineFixture.Options(temp.Path));
        using var reference = new TempDir();
        EngineFixture.Run(new SyntheticRecipe { Items = 200 }, EngineFixture.Options(reference.Path));
        Assert.Equal(EngineFixture.DatasetHashes(reference.Path), EngineFixture.DatasetHashes(temp.Path));
    }

    [Fact]
    public void DryRun_RunsACalibrationAndProjectsTheWholeRun()
    {
        using var temp = new TempDir();
        var prices = new PriceTable(new Dictionary<string, ModelPrice> { ["writer-1"] = new(Input: 2m, Output: 4m) });
        var recipe = new SyntheticRecipe { Items = 500 };
        var outcome = EngineFixture.Run(recipe, EngineFixture.Options(temp.Path) with { DryRunItems = 20, Prices = prices });
        Assert.NotNull(outcome.Projection);
        Assert.Equal(20, outcome.Projection.CalibrationItems);
        Assert.Equal(480, outcome.Projection.RemainingItems);
        Assert.Equal(480, outcome.Projection.ProjectedUsage.Single(u => u.Model == "writer-1").Requests);
        Assert.True(outcome.Projection.ProjectedCost > 0);
        Assert.False(File.Exists(temp.File("data.json")));

        var real = new SyntheticRecipe { Items = 500 };
        Assert.Equal(480, EngineFixture.Run(real, EngineFixture.Options(temp.Path)).ProcessedNow);
        Assert.Equal(960, real.BackendCalls);
    }

    [Fact]
    public void Manifest_And_Card_DescribeTheRun()
    {
        using var temp = new TempDir();
        EngineFixture.Run(new SyntheticRecipe { Items = 30, FailEvery = 10 }, EngineFixture.Options(temp.Path));
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(temp.File("manifest.json")));
        var root = manifest.RootElement;
        Assert.Equal("synthetic", root.GetProperty("recipe").GetString());
        Assert.Equal("7", root.GetProperty("seed").GetString());
        Assert.Equal(27, root.GetProperty("counts").GetProperty("done").GetInt32());
        Assert.Equal(27, root.GetProperty("files").GetProperty("data.json").GetInt32());
        Assert.Equal(30, root.GetProperty("config").GetProperty("items").GetInt32());
        Assert.Contains(root.GetProperty("usage").EnumerateArray(), u =>
            u.GetProperty("model").GetString() == "writer-1" && u.GetProperty("requests").GetInt32() == 27);
        string card = File.ReadAllText(temp.File("README.md"));
        Assert.Contains("| done | 27 |", card, StringComparison.Ordinal);
        Assert.Contains("| even |", card, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysOutOfOrder_AreABugInTheRecipe()
    {
        using var temp = new TempDir();
        var plan = new SyntheticRecipe { Items = 3 }.Plan();
        var broken = new GenerationPlan
        {
            Recipe = plan.Recipe,
            Fingerprint = plan.Fingerprint,
            Items = () => [new WorkItem("b", 1), new WorkItem("a", 0)],
            Pipeline = plan.Pipeline,
        };
        var error = Assert.Throws<InvalidOperationException>(() =>
            new GenerationEngine(broken, EngineFixture.Options(temp.Path)).RunAsync().GetAwaiter().GetResult());
        Assert.Contains("ascending", error.Message, StringComparison.Ordinal);
    }
}
