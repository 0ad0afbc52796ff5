using System.Collections;
using System.CommandLine;
using System.Globalization;
using VisInstruct.Backends;
using VisInstruct.Backends.Composition;
using VisInstruct.Config;
using VisInstruct.Engine;

namespace VisInstruct.Cli.Commands;

/// <summary>The options every engine-run command (<c>generate</c>, <c>render</c>) takes, and how they become engine options.</summary>
internal sealed class RunOptions
{
    /// <summary>How many items <c>--dry-run</c> runs as its calibration.</summary>
    public const int DryRunCalibrationItems = 20;

    /// <summary>What messages about the configuration call it when no <c>--config</c> was given.</summary>
    public const string UnnamedConfig = "run.yaml";

    public Option<string?> Config { get; } = new("--config") { Description = "The run configuration (YAML): backends, models, prices; " +
        "see docs/configuration.md" };

    public Option<ulong?> Seed { get; } = new("--seed") { Description = "The run seed; every sample's seed derives from it and the " +
        "sample's key" };

    public Option<int?> ShardIndex { get; } = new("--shard-index") { Description = "This shard's index (0-based); defaults from " +
        "SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX" };

    public Option<int?> ShardCount { get; } = new("--shard-count") { Description = "How many shards the run is split into; defaults from " +
        "SLURM_ARRAY_TASK_COUNT or VISINSTRUCT_SHARD_COUNT" };

    public Option<bool> RetryFailed { get; } = new("--retry-failed") { Description = "Retry only the samples that failed before" };

    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Run a small calibration sample and project tokens, images, " +
        "time and cost for the whole run (the calibration samples are kept)" };

    public Option<decimal?> MaxCost { get; } = new("--max-cost") { Description = "Stop cleanly (resumable) once the run has cost this " +
        "many USD (prices from the config)" };

    public Option<long?> MaxRequests { get; } = new("--max-requests") { Description = "Stop cleanly (resumable) once the run has sent " +
        "this many backend requests" };

    public Option<int?> Concurrency { get; } =
        new("--concurrency") { Description = "Requests in flight per backend (overrides the config)" };

    public Option<double?> MaxFailureRatio { get; } = new("--max-failure-ratio") { Description = string.Create(CultureInfo.InvariantCulture,
            $"Exit with code 1 when more than this share of samples failed (default {Engine.EngineOptions.DefaultMaxFailureRatio})") };

    public Option<bool> ForceNew { get; } = new("--force-new") { Description = "Start this output folder afresh (accepting a changed " +
        "configuration); cached responses are reused" };

    public Option<bool> SkipPreflight { get; } = new("--skip-preflight") { Description = "Do not check the backends before the run (one " +
        "cheap request to each endpoint); for servers that do not answer those checks" };

    public Option<bool> TakeOver { get; } = new("--take-over") { Description = "Take the run state's lease even from a holder that looks " +
        "alive (you know its process is gone); see docs/cluster.md" };

    public Option<double?> LeaseTimeout { get; } = new("--lease-timeout") { Description = string.Create(CultureInfo.InvariantCulture,
            $"Seconds without a heartbeat after which this run's lease may be taken over by a rerun (default " +
                $"{new LeaseOptions().Timeout.TotalSeconds}; renewed every sixth of it)") };

    public Option<bool> Quiet { get; } = new("--quiet") { Description = "No progress display; warnings and the summary only" };

    public OutputStyleOptions Style { get; } = new(defaultIndent: null);

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Config, Seed, ShardIndex, ShardCount, RetryFailed, DryRun, MaxCost, MaxRequests, Concurrency,
            MaxFailureRatio, ForceNew, SkipPreflight, TakeOver, LeaseTimeout, Quiet })
        {
            command.Add(option);
        }

        Style.AddTo(command);
    }

    /// <summary>
    /// Checks the options a run needs before anything is created: the output folder is not a file, the ratio is a
    /// number in [0, 1], budgets are not negative.
    /// </summary>
    public void CheckUsage(ParseResult result, string outputOption, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (File.Exists(outputDirectory))
        {
            throw new UsageException($"{outputOption} {outputDirectory} is a file; it must be a folder (new, or one a run was made in)");
        }

        if (result.GetValue(MaxFailureRatio) is { } ratio && !(ratio >= 0 && ratio <= 1))
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--max-failure-ratio must be a number between 0 and 1, not {ratio}"));
        }

        if (result.GetValue(MaxCost) is < 0)
        {
            throw new UsageException("--max-cost must not be negative (it is the most USD the run may cost)");
        }

        if (result.GetValue(LeaseTimeout) is { } lease && !(lease >= 1 && lease <= 86_400))
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--lease-timeout must be a number of seconds between 1 and 86400, not {lease}"));
        }

        if (result.GetValue(MaxRequests) is < 0)
        {
            throw new UsageException("--max-requests must not be negative (it is the most backend requests the run may send)");
        }
    }

    public RunConfig LoadConfig(ParseResult result) =>
        result.GetValue(Config) is { } path ? RunConfigLoader.Load(path) : new RunConfig();

    public static IReadOnlyDictionary<string, string?> Environment() =>
        System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value,
            StringComparer.Ordinal);

    /// <summary>The run's seed: <c>--seed</c>, else the configuration's, else <see cref="EngineOptions.Seed"/>'s default.</summary>
    public ulong ResolveSeed(ParseResult result, RunConfig config) => result.GetValue(Seed) ?? config.Seed ?? default;

    public EngineOptions EngineOptions(ParseResult result, RunConfig config, string outputDirectory, bool imagesAreProcedural)
    {
        ArgumentNullException.ThrowIfNull(config);
        ShardSpec shard;
        try
        {
            shard = ShardSpec.Resolve(result.GetValue(ShardIndex), result.GetValue(ShardCount), Environment());
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        int? concurrency = result.GetValue(Concurrency);
        if (concurrency is < 1)
        {
            throw new UsageException("--concurrency must be at least 1");
        }

        double ratio = result.GetValue(MaxFailureRatio) ?? config.MaxFailureRatio ?? Engine.EngineOptions.DefaultMaxFailureRatio;
        if (!(ratio >= 0 && ratio <= 1))
        {
            throw new UsageException("--max-failure-ratio must be between 0 and 1");
        }

        var style = Style.Read(result);
        if (config.Output is { } output && result.GetValue(Style.Indent) is null)
        {
            style = style with { Indent = output.Indent, EnsureAscii = style.EnsureAscii || output.Ascii == true };
        }

        int cpu = System.Environment.ProcessorCount;
        return new EngineOptions
        {
            OutputDirectory = outputDirectory,
            Seed = ResolveSeed(result, config),
            Shard = shard,
            Concurrency = new Dictionary<string, int>
            {
                [BackendLane.Llm.Name] = concurrency ?? config.Llm?.Concurrency ?? BackendLane.Llm.DefaultConcurrency,
                [BackendLane.Vision.Name] = concurrency ?? config.Vision?.Concurrency ?? BackendLane.Vision.DefaultConcurrency,
                [BackendLane.Images.Name] = concurrency ?? config.Images?.Concurrency
                    ?? (imagesAreProcedural ? cpu : BackendLane.Images.DefaultConcurrency),
            }.Concat((config.Filters?.Consistency?.Judges ?? []).Select((judge, i) => KeyValuePair.Create(
                BackendFactory.JudgeLane(i, judge).Name, concurrency ?? judge.Concurrency ?? BackendLane.Vision.DefaultConcurrency)))
                .ToDictionary(),
            DefaultConcurrency = Math.Max(2, cpu),
            RetryFailed = result.GetValue(RetryFailed),
            ForceNew = result.GetValue(ForceNew),
            Lease = result.GetValue(LeaseTimeout) is { } leaseSeconds
                ? new LeaseOptions { Timeout = TimeSpan.FromSeconds(leaseSeconds), TakeOver = result.GetValue(TakeOver) }
                : new LeaseOptions { TakeOver = result.GetValue(TakeOver) },
            DryRunItems = result.GetValue(DryRun) ? DryRunCalibrationItems : null,
            MaxFailureRatio = ratio,
            MaxRequests = result.GetValue(MaxRequests),
            MaxCost = result.GetValue(MaxCost),
            Prices = new PriceTable((config.Prices ?? []).ToDictionary(p => p.Key,
                p => new ModelPrice(p.Value.Input ?? 0, p.Value.Output ?? 0, p.Value.Image ?? 0, p.Value.ImageSecond
                    ?? 0), StringComparer.Ordinal)),
            StallWarning = config.StallWarningSeconds is { } stall ? TimeSpan.FromSeconds(stall) : Engine.EngineOptions.DefaultStallWarning,
            OutputStyle = style,
        };
    }

    public static string Describe(ShardSpec shard) => shard.IsSharded ? string.Create(CultureInfo.InvariantCulture, $" (shard {shard})")
        : "";
}
