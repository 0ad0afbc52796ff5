using System.Globalization;
using VisInstruct.Engine;
using VisInstruct.EngineHost;

// A child process for tests that kill a run mid-way, and for the engine benchmark.
// Usage: VisInstruct.EngineHost --out DIR [--items N] [--seed S] [--concurrency C] [--latency-ms L] [--fail-every K]
//        [--fail-once] [--drop-every K] [--shard-index I --shard-count N] [--retry-failed] [--force-new] [--max-requests R]
//        [--single-stage] [--fixed-latency] [--flush-every N] [--flush-ms MS]
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (int i = 0; i < args.Length; i++)
{
    string name = args[i].TrimStart('-');
    options[name] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
}

string Get(string name, string fallback) => options.TryGetValue(name, out var v) ? v : fallback;
int concurrency = int.Parse(Get("concurrency", "8"), CultureInfo.InvariantCulture);
var recipe = new SyntheticRecipe
{
    Items = int.Parse(Get("items", "100"), CultureInfo.InvariantCulture),
    Latency = TimeSpan.FromMilliseconds(double.Parse(Get("latency-ms", "0"), CultureInfo.InvariantCulture)),
    FailEvery = int.Parse(Get("fail-every", "0"), CultureInfo.InvariantCulture),
    FailOnce = options.ContainsKey("fail-once"),
    DropEvery = int.Parse(Get("drop-every", "0"), CultureInfo.InvariantCulture),
    SingleStage = options.ContainsKey("single-stage"),
    FixedLatency = options.ContainsKey("fixed-latency"),
};
var engineOptions = new EngineOptions
{
    OutputDirectory = Get("out", "out"),
    Seed = ulong.Parse(Get("seed", "1"), CultureInfo.InvariantCulture),
    Concurrency = new Dictionary<string, int> { ["llm"] = concurrency, ["images"] = concurrency },
    DefaultConcurrency = concurrency,
    Shard = options.ContainsKey("shard-count")
        ? new ShardSpec(int.Parse(Get("shard-index", "0"), CultureInfo.InvariantCulture),
            int.Parse(Get("shard-count", "1"), CultureInfo.InvariantCulture))
        : ShardSpec.Whole,
    RetryFailed = options.ContainsKey("retry-failed"),
    ForceNew = options.ContainsKey("force-new"),
    MaxRequests = options.TryGetValue("max-requests", out var max) ? long.Parse(max, CultureInfo.InvariantCulture) : null,
    MaxFailureRatio = 1,
    FlushEvery = int.Parse(Get("flush-every", "4096"), CultureInfo.InvariantCulture),
    FlushInterval = TimeSpan.FromMilliseconds(double.Parse(Get("flush-ms", "1000"), CultureInfo.InvariantCulture)),
};
var watch = System.Diagnostics.Stopwatch.StartNew();
var outcome = await new GenerationEngine(recipe.Plan(), engineOptions).RunAsync().ConfigureAwait(false);
watch.Stop();
using var self = System.Diagnostics.Process.GetCurrentProcess();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"gc_heap_mb={GC.GetGCMemoryInfo().HeapSizeBytes / 1e6:F0} gc_committed_mb={GC.GetGCMemoryInfo().TotalCommittedBytes / 1e6:F0} "
        + $"items={outcome.Items} done={outcome.Done} failed={outcome.Failed} dropped={outcome.Dropped} processed={outcome.ProcessedNow} "
        + $"backend_calls={recipe.BackendCalls} seconds={watch.Elapsed.TotalSeconds:F2} "
        + $"rate={outcome.ProcessedNow / watch.Elapsed.TotalSeconds:F0} peak_rss_mb={self.PeakWorkingSet64 / 1e6:F0}"));
return 0;
