using System.Globalization;
using System.Threading.Channels;
using VisInstruct.Backends;
using VisInstruct.Engine;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Engine;

/// <summary>The stage pump: what happens to the channels and the run when a stage's worker itself fails.</summary>
public class StagePumpTests
{
    [Fact]
    public async Task AWorkerThatFaults_FailsTheRunWithItsError_AndKeepsWhatFinished()
    {
        using var temp = new TempDir();
        var options = EngineFixture.Options(temp.Path, concurrency: 1);

        var error = await Assert.ThrowsAsync<WorkerFaultException>(
            () => Task.Run(() => new GenerationEngine(Plan(faultAt: 3), options).RunAsync()));

        Assert.Equal("the worker itself failed", error.Message);
        // The items before the fault went through both stages and were recorded: the next run does only the rest.
        var resumed = await Task.Run(() => new GenerationEngine(Plan(faultAt: -1), options).RunAsync());
        Assert.True(resumed.Complete);
        Assert.Equal(3, resumed.ProcessedNow);
    }

    [Fact]
    public async Task AWorkersFault_CompletesTheDownstreamChannelsWithIt_AfterTheItemsBeforeIt_AndStopsTheDispatching()
    {
        var pipeline = Pipeline.Start<int>()
            .Then("first", null, (int i, SampleContext _, CancellationToken _) => ValueTask.FromResult(i))
            .Then("second", null, (int i, SampleContext _, CancellationToken _) => FaultAt(i, 2))
            .Then("third", null, (int i, SampleContext _, CancellationToken _) => ValueTask.FromResult(new ItemResult().Count("n", i)))
            .Build();
        var options = new EngineOptions { OutputDirectory = "unused", DefaultConcurrency = 1 };
        var progress = new RunProgress(pipeline.Stages.Select(s => new StageProgress(s.Name, s.Backend, 1)).ToList(), TimeProvider.System);
        using var control = new RunControl();
        var gateway = new BackendGateway(new NoCache(), null, new UsageLedger(PriceTable.Empty), control);
        var results = Channel.CreateUnbounded<ItemOutcome>();
        var items = Enumerable.Range(0, 5).Select(i => new Envelope(i.ToString("D2", CultureInfo.InvariantCulture), 0, 1, i));

        await new StagePump(pipeline.Stages, progress, gateway, control, options, _ => { }).RunAsync(items, long.MaxValue, results.Writer);

        var keys = new List<string>();
        var error = await Assert.ThrowsAsync<WorkerFaultException>(async () =>
        {
            await foreach (var outcome in results.Reader.ReadAllAsync())
            {
                keys.Add(outcome.Key);
            }
        });
        Assert.Equal(["00", "01"], keys);
        Assert.Equal("the worker itself failed", error.Message);
        Assert.Equal("the second stage failed (WorkerFaultException)", control.StopReason);
    }

    private static GenerationPlan Plan(int faultAt) => new()
    {
        Recipe = "faulty",
        Fingerprint = "{}",
        Items = () => Enumerable.Range(0, 6).Select(i => new WorkItem(i.ToString("D2", CultureInfo.InvariantCulture), i)),
        // The failure of item faultAt cannot be described (its Message throws): the worker recording it fails, not the item.
        Pipeline = Pipeline.Start<int>()
            .Then("first", null, (int i, SampleContext _, CancellationToken _) => FaultAt(i, faultAt))
            .Then("last", null, (int i, SampleContext _, CancellationToken _) => ValueTask.FromResult(new ItemResult().Count("n", i)))
            .Build(),
    };

    private sealed class UndescribableException : Exception
    {
        public override string Message => throw new WorkerFaultException();
    }

    private static ValueTask<int> FaultAt(int item, int faultAt) =>
        item == faultAt ? throw new UndescribableException() : ValueTask.FromResult(item);

    private sealed class NoCache : IResponseCache
    {
        public byte[]? TryGet(string scope, byte[] key) => null;

        public void Put(string scope, byte[] key, string backend, string model, byte[] value)
        {
        }
    }

    private sealed class WorkerFaultException() : Exception("the worker itself failed");
}
