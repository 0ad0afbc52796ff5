using FsCheck;
using FsCheck.Fluent;
using VisInstruct.Backends;
using VisInstruct.Engine;
using VisInstruct.EngineHost;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Engine;

/// <summary>
/// Budgets that hold: each request's worst case is reserved before it is sent and settled on its answer, so with 64
/// requests in flight the spend never crosses <c>--max-cost</c> and the requests never exceed <c>--max-requests</c>.
/// </summary>
public class BudgetTests
{
    private static readonly PriceTable Prices = new(new Dictionary<string, ModelPrice>
    {
        ["writer-1"] = new(Input: 1000m, Output: 2000m),
        ["painter-1"] = new(Image: 0.01m),
    });

    [Fact]
    public void AtConcurrency64_TheSpendNeverCrossesTheCostCap_AndTheRunResumesToTheSameDataset()
    {
        Prop.ForAll(Gen.Choose(1, 400).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (centsCap, seed) =>
        {
            decimal cap = centsCap / 100m;
            using var temp = new TempDir();
            var recipe = new SyntheticRecipe { Items = 120, Latency = TimeSpan.FromMilliseconds(2) };
            var options =
                EngineFixture.Options(temp.File("capped"), concurrency: 64, seed: (ulong)seed) with { Prices = Prices, MaxCost = cap };
            var outcome = EngineFixture.Run(recipe, options);
            bool held = outcome.Cost <= cap;
            bool stoppedForIt = outcome.Complete || (outcome.StopReason ?? "").Contains("--max-cost", StringComparison.Ordinal);
            return (held && stoppedForIt).Label($"cap {cap}, spent {outcome.Cost}, stop {outcome.StopReason}");
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(10));
    }

    [Fact]
    public void AtConcurrency64_TheRequestsNeverExceedTheRequestCap()
    {
        Prop.ForAll(Gen.Choose(1, 200).ToArbitrary(), cap =>
        {
            using var temp = new TempDir();
            var recipe = new SyntheticRecipe { Items = 150, Latency = TimeSpan.FromMilliseconds(2) };
            var outcome = EngineFixture.Run(recipe, EngineFixture.Options(temp.Path, concurrency: 64) with { MaxRequests = cap });
            long sent = outcome.Usage.Sum(u => u.Requests);
            bool stoppedForIt = outcome.Complete || (outcome.StopReason ?? "").Contains("--max-requests", StringComparison.Ordinal);
            return (sent <= cap && stoppedForIt).Label($"cap {cap}, sent {sent}, stop {outcome.StopReason}");
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(10));
    }

    [Fact]
    public void Reservations_AdmitWhatTheCapHolds_AndSettleOnTheAnswer()
    {
        var ledger = new UsageLedger(Prices, maxCost: 0.05m);
        // Worst case of one request: 10 input tokens at $1000/M + 10 output tokens at $2000/M = $0.03.
        var worst = new Usage(InputTokens: 10, OutputTokens: 10);
        using var first = ledger.TryReserve("llm-test", "writer-1", worst, out string? none);
        Assert.NotNull(first);
        Assert.Null(none);
        Assert.Equal(0.03m, ledger.ReservedCost);

        var second = ledger.TryReserve("llm-test", "writer-1", worst, out string? refusal);

        Assert.Null(second);
        Assert.Contains("--max-cost 0.05", refusal, StringComparison.Ordinal);
        Assert.Equal(1, ledger.OpenReservations);

        // The answer used less than its worst case: settled, the room it did not use is free again.
        ledger.RecordRequest("llm-test", "writer-1", new Usage(InputTokens: 10, OutputTokens: 2));
        first!.Dispose();
        Assert.Equal(0m, ledger.ReservedCost);
        Assert.Equal(0.014m, ledger.TotalCost());
        using var third = ledger.TryReserve("llm-test", "writer-1", worst, out _);
        Assert.NotNull(third);
    }

    [Fact]
    public void ManifestAndCard_ShowTheCapTheSpendAndTheOpenReservations()
    {
        using var temp = new TempDir();
        var outcome = EngineFixture.Run(new SyntheticRecipe { Items = 60 },
            EngineFixture.Options(temp.Path, concurrency: 64) with { Prices = Prices, MaxCost = 0.5m, MaxRequests = 1000 });
        Assert.False(outcome.Complete);

        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(temp.File("manifest.json")));
        var budget = manifest.RootElement.GetProperty("budget");
        Assert.Equal(0.5, budget.GetProperty("max_cost_usd").GetDouble());
        Assert.Equal(1000, budget.GetProperty("max_requests").GetInt64());
        Assert.Equal((double)Math.Round(outcome.Cost, 6), budget.GetProperty("spent_usd").GetDouble());
        Assert.True(budget.GetProperty("spent_usd").GetDouble() <= 0.5);
        Assert.Equal(outcome.Usage.Sum(u => u.Requests), budget.GetProperty("requests").GetInt64());
        Assert.Equal(0, budget.GetProperty("open_reservations").GetInt64());
        string card = File.ReadAllText(temp.File("README.md"));
        Assert.Contains("Budget: --max-cost $0.5, spent $", card, StringComparison.Ordinal);
        Assert.Contains("--max-requests 1000, sent ", card, StringComparison.Ordinal);
        Assert.Contains("0 request(s) still open at the end", card, StringComparison.Ordinal);
    }
}
