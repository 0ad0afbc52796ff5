namespace VisInstruct.Engine;

/// <summary>How a generation run behaves (not what it generates: that is the recipe's).</summary>
public sealed record EngineOptions
{
    /// <summary>The output folder: dataset files, <c>images/</c>, <c>manifest.json</c>, the run state.</summary>
    public required string OutputDirectory { get; init; }

    public ulong Seed { get; init; }

    public ShardSpec Shard { get; init; } = ShardSpec.Whole;

    /// <summary>In-flight limit per backend name (<c>llm</c>, <c>images</c>); backends not named get <see cref="DefaultConcurrency"/>.</summary>
    public IReadOnlyDictionary<string, int> Concurrency { get; init; } = new Dictionary<string, int>();

    /// <summary>In-flight limit for a backend without its own, and for CPU stages.</summary>
    public int DefaultConcurrency { get; init; } = 16;

    /// <summary>Retry only the items that failed before (not pending ones).</summary>
    public bool RetryFailed { get; init; }

    /// <summary>
    /// Start the folder afresh: discard the finished items (a changed configuration is accepted instead of refused).
    /// Cached responses are kept, so whatever is asked again is not paid for again.
    /// </summary>
    public bool ForceNew { get; init; }

    /// <summary>The run state's lease: timeout, heartbeat, <c>--take-over</c>.</summary>
    public LeaseOptions Lease { get; init; } = new();

    /// <summary>Run this many items as a calibration and print a projection for the whole run, instead of running it.</summary>
    public int? DryRunItems { get; init; }

    /// <summary>Above this share of failed items the run exits with code 1.</summary>
    public double MaxFailureRatio { get; init; } = 0.05;

    public long? MaxRequests { get; init; }

    public decimal? MaxCost { get; init; }

    public PriceTable Prices { get; init; } = PriceTable.Empty;

    /// <summary>Warn when nothing has progressed for this long.</summary>
    public TimeSpan StallWarning { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Only dispatch this many items (for tests and calibration); null for all.</summary>
    public long? ItemLimit { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How many finished items to collect before writing them to the run state.</summary>
    public int FlushEvery { get; init; } = 4096;

    /// <summary>The longest time finished items wait in memory before they are written.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The layout of the dataset files (Python's json.dump by default).</summary>
    public VisInstruct.Json.JsonStyle OutputStyle { get; init; } = VisInstruct.Json.JsonStyle.Compact;

    public int ConcurrencyFor(string? backend) =>
        backend is not null && Concurrency.TryGetValue(backend, out int limit) ? limit : DefaultConcurrency;
}
