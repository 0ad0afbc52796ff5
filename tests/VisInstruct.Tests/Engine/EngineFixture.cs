using System.Security.Cryptography;
using VisInstruct.Engine;
using VisInstruct.EngineHost;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Engine;

/// <summary>Runs the synthetic workload in-process and reads what it wrote.</summary>
internal static class EngineFixture
{
    /// <summary>The files a run's dataset consists of (everything but the manifest and the run's own bookkeeping).</summary>
    public static SortedDictionary<string, string> DatasetHashes(string directory)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
            if (relative.StartsWith(".visinstruct/", StringComparison.Ordinal) || relative is "manifest.json" or "run.log")
            {
                continue;
            }

            hashes[relative] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return hashes;
    }

    public static EngineOptions Options(string directory, int concurrency = 8, ulong seed = 7) => new()
    {
        OutputDirectory = directory,
        Seed = seed,
        Concurrency = new Dictionary<string, int> { ["llm"] = concurrency, ["images"] = concurrency },
        DefaultConcurrency = concurrency,
        MaxFailureRatio = 1,
        FlushInterval = TimeSpan.FromMilliseconds(50),
    };

    public static RunOutcome Run(SyntheticRecipe recipe, EngineOptions options, IRunObserver? observer = null,
        RunControl? control = null) =>
        Task.Run(() => new GenerationEngine(recipe.Plan(), options, observer, control).RunAsync()).GetAwaiter().GetResult();

    public static List<string> DataIndexes(string directory)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "data.json")));
        return document.RootElement.EnumerateArray()
            .Select(e => e.GetProperty("index").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>The engine host program, to run (and kill) as a child process.</summary>
    public static string HostPath()
    {
        string configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(Paths.Repository, "tests", "VisInstruct.EngineHost", "bin", configuration, "net10.0",
            "VisInstruct.EngineHost.dll");
    }
}

/// <summary>Collects what a run says.</summary>
internal sealed class RecordingObserver : IRunObserver
{
    public List<string> Notices { get; } = [];

    public RunProgress? Progress { get; private set; }

    public void Started(RunProgress progress) => Progress = progress;

    public void Notice(string message)
    {
        lock (Notices)
        {
            Notices.Add(message);
        }
    }

    public void Finished(RunOutcome outcome)
    {
    }
}
