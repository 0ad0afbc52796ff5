using System.Globalization;

namespace VisInstruct.Engine;

/// <summary>How a run ended: counts, failures by stage and cause, usage and cost, and whether it is complete.</summary>
public sealed record RunOutcome
{
    public required string OutputDirectory { get; init; }

    public required string Recipe { get; init; }

    public ShardSpec Shard { get; init; }

    /// <summary>Items of the run (this shard's).</summary>
    public long Items { get; init; }

    public long Done { get; init; }

    public long Failed { get; init; }

    public long Dropped { get; init; }

    /// <summary>Items not finished yet (the run stopped early, or was limited).</summary>
    public long Pending => Items - Done - Failed - Dropped;

    /// <summary>Items this invocation finished.</summary>
    public long ProcessedNow { get; init; }

    public bool Complete => Pending == 0;

    public string? StopReason { get; init; }

    public IReadOnlyList<FailureCount> Failures { get; init; } = [];

    public IReadOnlyList<UsageTotals> Usage { get; init; } = [];

    public IReadOnlyList<UsageTotals> UsageThisRun { get; init; } = [];

    public decimal Cost { get; init; }

    /// <summary>The budgets of a run that had one (<c>--max-cost</c>, <c>--max-requests</c>): caps, spend, what was still open.</summary>
    public BudgetState? Budget { get; init; }

    public IReadOnlyList<string> UnpricedModels { get; init; } = [];

    public TimeSpan Elapsed { get; init; }

    public double MaxFailureRatio { get; init; }

    /// <summary>Failed items over finished items (dropped ones are deliberate and do not count).</summary>
    public double FailureRatio => Done + Failed == 0 ? 0 : (double)Failed / (Done + Failed);

    public bool FailureRatioExceeded => FailureRatio > MaxFailureRatio;

    public IReadOnlyList<string> DatasetFiles { get; init; } = [];

    public DryRunProjection? Projection { get; init; }
}

/// <summary>How many items failed (or were dropped) at one stage for one cause.</summary>
public sealed record FailureCount(string Stage, string Kind, bool Dropped, long Count);

/// <summary>
/// A run's budgets at its end: the caps, what was spent and sent, and the reservations still open (requests sent whose
/// answers had not come when the run stopped; after a clean stop there are none).
/// </summary>
public sealed record BudgetState(decimal? MaxCost, long? MaxRequests, decimal Spent, long Requests, long OpenRequests, decimal ReservedCost)
{
    /// <summary>One sentence for the dataset card.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"Budget: {(MaxCost is { } cost ? $"--max-cost ${cost}, spent ${Spent:0.######}" : $"spent ${Spent:0.######}")}; "
            + $"{(MaxRequests is { } requests ? $"--max-requests {requests}, sent {Requests}" : $"sent {Requests} requests")}; "
            + $"{OpenRequests} request(s) still open at the end{(OpenRequests > 0 ? $" (reserved ${ReservedCost:0.######})" : "")}. Each "
            + $"request's worst case is reserved before it is sent, so the spend stays within the cap.");
}
