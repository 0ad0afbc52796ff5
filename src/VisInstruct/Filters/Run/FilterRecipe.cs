using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VisInstruct.Backends.Composition;
using VisInstruct.Config;
using VisInstruct.Datasets;
using VisInstruct.Engine;
using VisInstruct.Filters.Text;
using VisInstruct.Formats;
using VisInstruct.Json;
using VisInstruct.Recipes;

namespace VisInstruct.Filters.Run;

/// <summary>What <c>filter</c> was asked: the source, its image folder, the filters and the judges that ask models.</summary>
public sealed record FilterRequest
{
    /// <summary>A dataset folder or a LLaVA JSON/JSONL file.</summary>
    public required string Source { get; init; }

    public string? ImageFolder { get; init; }

    public required FilterSettings Settings { get; init; }

    /// <summary>Progress lines of the scan (hashing images); null for none.</summary>
    public Action<string>? Progress { get; init; }
}

/// <summary>
/// <c>filter</c> as a recipe on the engine. The scan (<see cref="FilterScan"/>: duplicates and decontamination) runs
/// once when the run is planned; then one item per sample goes through a stage per model-asking filter
/// (<see cref="ISampleJudge"/>: cached, resumable, budgeted, shardable like any backend call) and a last stage that
/// takes every verdict, writes them to <c>filters.jsonl</c>, and writes the sample to <c>llava.json</c> (its images
/// placed under the output) or, when a dropping filter flags it, to <c>dropped/llava.json</c> as it was.
/// </summary>
public sealed class FilterRecipe(FilterRequest? run, Func<RunBackends, FilterSettings, IReadOnlyList<ISampleJudge>> judges) : IRecipe
{
    public const string DroppedFile = "dropped/llava.json";

    /// <summary>The perceptual hashes of the images, kept between runs in the state folder.</summary>
    public const string HashCacheFile = "image-hashes.tsv";

    public string Name => "filter";

    public string Description => "quality filters over a LLaVA dataset: verdicts per sample, and the kept samples as a new dataset";

    public IReadOnlyList<RecipeOption> Options => [];

    public RecipePlan Plan(RecipeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filter = run ?? throw new InvalidOperationException("a filter recipe made for merge plans no run");
        var settings = filter.Settings;
        var source = DatasetSource.Open(filter.Source, filter.ImageFolder);
        if (source.ImageRoot is null && (settings.Images != ImageHandling.Keep || settings.Runs(FilterNames.ImageDup)
            || settings.Runs(FilterNames.Consistency)))
        {
            throw new ArgumentException($"{filter.Source} names its images under a data root (Visual Genome, COCO): give "
                + "--image-folder (the folder LLaVA's --image_folder names), or --images keep without image-dup and consistency");
        }
        var models = judges(request.Backends, settings);
        string cache = Path.Combine(GenerationEngine.StateDirectory(request.OutputDirectory), HashCacheFile);
        var scan = settings.Runs(FilterNames.ImageDup) || settings.Runs(FilterNames.TextDup)
            ? FilterScan.Run(source, settings, cache, filter.Progress, cancellationToken)
            : null;
        var images = new OutputImages(source, settings.Images, request.OutputDirectory);
        var assemble = new AssembleStage(settings, scan, images, Local(settings));
        var builder = Pipeline.Start<FilterWork>();
        foreach (var judge in models)
        {
            builder = builder.Then(judge.Name, judge.Backend, async (work, context, ct) =>
                work with { Judged = [.. work.Judged, await judge.JudgeAsync(work.Subject, context, ct).ConfigureAwait(false)] });
        }

        var pipeline = builder.Then("verdict", null, assemble.RunAsync).Build();
        string fingerprint = Fingerprint(filter, source, settings, models);
        return new RecipePlan(new GenerationPlan
        {
            Recipe = Name,
            Fingerprint = fingerprint,
            ResolvedConfig = ConfigJson.Resolved(request.Config, writer =>
            {
                writer.WriteString("source", Path.GetFullPath(filter.Source));
                writer.WriteString("filters", string.Join(",", settings.Filters));
                writer.WriteString("drop", string.Join(",", settings.Drop.Order(StringComparer.Ordinal)));
            }),
            Items = () => Items(source),
            Pipeline = pipeline,
            Card = summary => FilterCard.Card(summary, filter.Source, settings, models, scan),
            Statistics = summary => FilterCard.Statistics(summary, settings),
            ReproduceCommand = Reproduce(filter, request.ConfigFile),
            OutputModes = request.Backends.OutputModes,
        });
    }

    /// <summary>The card of merged shards (the settings come from the runs' counters; the manifest holds the rest).</summary>
    public string Card(DatasetSummary summary) =>
        FilterCard.Card(summary, run?.Source ?? "the shards' source", FilterCard.FromCounters(summary), [], null);

    public string? Statistics(DatasetSummary summary) => FilterCard.Statistics(summary, FilterCard.FromCounters(summary));

    /// <summary>The recipe as <c>merge</c> knows it: by name, for the card and statistics of merged shards.</summary>
    public static FilterRecipe ForMerge() => new(null, (_, _) => []);

    /// <summary>The key of the sample at <paramref name="ordinal"/> (its place in the source, all files in order).</summary>
    public static string KeyOf(long ordinal) => string.Create(CultureInfo.InvariantCulture, $"s/{ordinal:D9}");

    private static IEnumerable<WorkItem> Items(DatasetSource source)
    {
        long ordinal = 0;
        foreach (var sample in source.Read())
        {
            var images = sample.ImagePaths.Select(source.ResolveImage).OfType<string>().ToList();
            string key = KeyOf(ordinal);
            yield return new WorkItem(key, new FilterWork(new FilterSubject(key, sample, images), ordinal, []));
            ordinal++;
        }
    }

    /// <summary>The filters that look at one sample alone and need no model.</summary>
    private static List<(string Name, Func<LlavaSample, FilterVerdict> Judge)> Local(FilterSettings settings)
    {
        var local = new List<(string, Func<LlavaSample, FilterVerdict>)>();
        if (settings.Runs(FilterNames.Text))
        {
            local.Add((FilterNames.Text, s => TextHeuristics.Judge(s, settings.Text)));
        }

        if (settings.Runs(FilterNames.Language))
        {
            local.Add((FilterNames.Language, s => LanguageCheck.Judge(s, settings.Language)));
        }

        return local;
    }

    private static string Fingerprint(FilterRequest filter, DatasetSource source, FilterSettings settings,
        IReadOnlyList<ISampleJudge> models)
    {
        var sb = new StringBuilder();
        foreach (string file in source.Files)
        {
            var info = new FileInfo(file);
            sb.Append(CultureInfo.InvariantCulture, $"{Path.GetFullPath(file)}:{info.Length}:{info.LastWriteTimeUtc.Ticks}|");
        }

        sb.Append("images=").Append(filter.ImageFolder is null ? "" : Path.GetFullPath(filter.ImageFolder)).Append('|')
            .Append("handling=").Append(settings.Images).Append('|')
            .Append("drop=").Append(string.Join(",", settings.Drop.Order(StringComparer.Ordinal))).Append('|');
        foreach (string name in settings.Filters)
        {
            sb.Append(name).Append('=').Append(settings.Describe(name))
                .Append(models.FirstOrDefault(m => m.Name == name)?.Settings ?? "").Append('|');
        }

        string text = sb.ToString();
        return "{\"filter\": \"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16] + "\", "
            + "\"settings\": " + PythonJsonWriter.Quote(text) + "}";
    }

    private static string Reproduce(FilterRequest filter, string? configFile)
    {
        var s = filter.Settings;
        var sb = new StringBuilder("visinstruct filter ").Append(filter.Source).Append(" --out DIR");
        if (filter.ImageFolder is not null)
        {
            sb.Append(" --image-folder ").Append(filter.ImageFolder);
        }

        sb.Append(" --filters ").Append(string.Join(",", s.Filters));
        if (s.Drop.Count > 0)
        {
            sb.Append(" --drop ").Append(string.Join(",", s.Drop.Order(StringComparer.Ordinal)));
        }

        foreach (string against in s.Against)
        {
            sb.Append(" --against ").Append(against);
        }

        if (s.Images != ImageHandling.Copy)
        {
            sb.Append(" --images ").Append(s.Images.ToString().ToLowerInvariant());
        }

        return configFile is null ? sb.ToString() : sb.Append(" --config ").Append(configFile).ToString();
    }
}

/// <summary>A sample on its way through the filter stages, with the verdicts of the judges so far.</summary>
internal sealed record FilterWork(FilterSubject Subject, long Ordinal, IReadOnlyList<FilterVerdict> Judged);
