using VisInstruct.Json;

namespace VisInstruct.Engine;

/// <summary>
/// How a generation run behaves (not what it generates: that is the recipe's). Each setting has its default here and
/// is checked when it is set: a value the engine cannot run with (a concurrency of 0 would never start an item) throws
/// <see cref="ArgumentOutOfRangeException"/> naming the setting, so a bad options object is never built.
/// </summary>
public sealed record EngineOptions
{
    /// <summary>The default of <see cref="DefaultConcurrency"/>.</summary>
    public const int DefaultDefaultConcurrency = 16;

    /// <summary>The default of <see cref="MaxFailureRatio"/>.</summary>
    public const double DefaultMaxFailureRatio = 0.05;

    /// <summary>The default of <see cref="FlushEvery"/>.</summary>
    public const int DefaultFlushEvery = 4096;

    /// <summary>The default of <see cref="StallWarning"/>: two minutes.</summary>
    public static readonly TimeSpan DefaultStallWarning = TimeSpan.FromMinutes(2);

    /// <summary>The default of <see cref="FlushInterval"/>: one second.</summary>
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>The output folder: dataset files, <c>images/</c>, <c>manifest.json</c>, the run state.</summary>
    public required string OutputDirectory
    {
        get;
        init => field = string.IsNullOrWhiteSpace(value) ? throw Invalid(nameof(OutputDirectory), value, "must name a folder") : value;
    }

    /// <summary>The run's seed (default 0): every random choice is derived from it and the item's key.</summary>
    public ulong Seed { get; init; }

    public ShardSpec Shard { get; init; } = ShardSpec.Whole;

    /// <summary>
    /// In-flight limit per backend name (<c>llm</c>, <c>images</c>); backends not named get <see cref="DefaultConcurrency"/>.
    /// Every limit is at least 1.
    /// </summary>
    public IReadOnlyDictionary<string, int> Concurrency
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Concurrency));
            foreach (var (backend, limit) in value)
            {
                Check(limit >= 1, $"{nameof(Concurrency)}[{backend}]", limit, "must be at least 1");
            }

            field = value;
        }
    } = new Dictionary<string, int>();

    /// <summary>In-flight limit for a backend without its own, and for CPU stages (default 16, at least 1).</summary>
    public int DefaultConcurrency
    {
        get;
        init => field = Check(value >= 1, nameof(DefaultConcurrency), value, "must be at least 1");
    } = DefaultDefaultConcurrency;

    /// <summary>Retry only the items that failed before (not pending ones).</summary>
    public bool RetryFailed { get; init; }

    /// <summary>
    /// Start the folder afresh: discard the finished items (a changed configuration is accepted instead of refused).
    /// Cached responses are kept, so whatever is asked again is not paid for again.
    /// </summary>
    public bool ForceNew { get; init; }

    /// <summary>The run state's lease: timeout, heartbeat, <c>--take-over</c>.</summary>
    public LeaseOptions Lease { get; init; } = new();

    /// <summary>
    /// Run this many items (at least 1) as a calibration and print a projection for the whole run, instead of running
    /// it; null (the default) runs it.
    /// </summary>
    public int? DryRunItems
    {
        get;
        init => field = Check(value is null or >= 1, nameof(DryRunItems), value, "must be at least 1");
    }

    /// <summary>Above this share of failed items the run exits with code 1 (default 0.05; between 0 and 1).</summary>
    public double MaxFailureRatio
    {
        get;
        init => field = Check(value is >= 0 and <= 1, nameof(MaxFailureRatio), value, "must be between 0 and 1");
    } = DefaultMaxFailureRatio;

    /// <summary>The most backend requests the run may send (0 or more); null (the default) for no limit.</summary>
    public long? MaxRequests
    {
        get;
        init => field = Check(value is null or >= 0, nameof(MaxRequests), value, "must not be negative");
    }

    /// <summary>The most USD the run may cost (0 or more); null (the default) for no limit.</summary>
    public decimal? MaxCost
    {
        get;
        init => field = Check(value is null or >= 0, nameof(MaxCost), value, "must not be negative");
    }

    public PriceTable Prices { get; init; } = PriceTable.Empty;

    /// <summary>Warn when nothing has progressed for this long (default two minutes; positive).</summary>
    public TimeSpan StallWarning
    {
        get;
        init => field = Check(value > TimeSpan.Zero, nameof(StallWarning), value, "must be positive");
    } = DefaultStallWarning;

    /// <summary>Only dispatch this many items (for tests and calibration; 0 or more); null (the default) for all.</summary>
    public long? ItemLimit
    {
        get;
        init => field = Check(value is null or >= 0, nameof(ItemLimit), value, "must not be negative");
    }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How many finished items to collect before writing them to the run state (default 4096, at least 1).</summary>
    public int FlushEvery
    {
        get;
        init => field = Check(value >= 1, nameof(FlushEvery), value, "must be at least 1");
    } = DefaultFlushEvery;

    /// <summary>The longest time finished items wait in memory before they are written (default one second; positive).</summary>
    public TimeSpan FlushInterval
    {
        get;
        init => field = Check(value > TimeSpan.Zero, nameof(FlushInterval), value, "must be positive");
    } = DefaultFlushInterval;

    /// <summary>The layout of the dataset files (Python's json.dump by default).</summary>
    public JsonStyle OutputStyle { get; init; } = JsonStyle.Compact;

    public int ConcurrencyFor(string? backend) =>
        backend is not null && Concurrency.TryGetValue(backend, out int limit) ? limit : DefaultConcurrency;

    private static T Check<T>(bool valid, string name, T value, string rule) => valid ? value : throw Invalid(name, value, rule);

    private static ArgumentOutOfRangeException Invalid(string name, object? value, string rule) =>
        new(name, value, $"EngineOptions.{name} {rule}");
}
