using System.Globalization;
using System.Text;
using System.Text.Json;
using VisInstruct.IO;
using VisInstruct.Json;

namespace VisInstruct.Engine;

/// <summary>
/// Materialises a dataset from one or more run states (one per shard): every output file with its records in key
/// order (a k-way merge across shards, so merged shards equal the unsharded run byte for byte), <c>failures.jsonl</c>,
/// the dataset card <c>README.md</c> and <c>manifest.json</c>, all committed together.
/// </summary>
public static class DatasetWriter
{
    public const string FailuresFile = "failures.jsonl";
    public const string ManifestFile = "manifest.json";
    public const string CardFile = "README.md";
    public const string StatisticsFile = "stats.json";

    /// <summary>The run-state key that keeps, across resumes, how each LLM endpoint was asked for structured answers.</summary>
    public const string OutputModesMeta = "structured_output";

    /// <summary>Writes the dataset of a finished (or stopped) run; returns the dataset files written.</summary>
    public static IReadOnlyList<string> Materialize(IReadOnlyList<RunState> states, string outputDirectory, GenerationPlan plan,
        RunOutcome outcome, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        return Materialize(states, outputDirectory, new MaterializeRequest
        {
            Recipe = plan.Recipe,
            Seed = options.Seed,
            ResolvedConfig = plan.ResolvedConfig,
            Card = plan.Card,
            Statistics = plan.Statistics,
            ReproduceCommand = plan.ReproduceCommand,
            OutputModes = plan.OutputModes,
            Style = options.OutputStyle,
            Outcome = outcome,
            Time = options.Time,
            TempDirectory = GenerationEngine.TempDirectory(outputDirectory),
        });
    }

    public static IReadOnlyList<string> Materialize(IReadOnlyList<RunState> states, string outputDirectory, MaterializeRequest request)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(request);
        var files = states.SelectMany(s => s.Items.OutputFiles()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var summary = new DatasetSummary { Recipe = request.Recipe, Seed = request.Seed, ReproduceCommand = request.ReproduceCommand,
            Usage = request.Outcome.Usage,
            OutputModes = Backends.Llm.EndpointOutputMode.Combine(states.SelectMany(s =>
                Backends.Llm.EndpointOutputMode.Decode(s.Meta.Get(OutputModesMeta))),
                request.OutputModes?.Invoke() ?? []) };
        foreach (var (_, status, tags, counters) in MergeByKey(states.Select(s => s.Items.Summaries()), i => i.Key))
        {
            summary.Add(status, tags, counters);
        }

        using var staged = new StagedOutput(request.TempDirectory);
        foreach (string file in files)
        {
            summary.Files[file] = WriteFile(states, file, Path.Combine(outputDirectory, file), request.Style, staged);
        }

        WriteFailures(states, Path.Combine(outputDirectory, FailuresFile), staged);
        using (var card = staged.Create(Path.Combine(outputDirectory, CardFile)))
        {
            string text = (request.Card ?? GenericCard)(summary);
            if (request.Outcome.Budget is { } budget)
            {
                text = text.TrimEnd('\n') + "\n\n" + budget.Describe() + "\n";
            }

            card.Write(Encoding.UTF8.GetBytes(text));
        }

        if (request.Statistics?.Invoke(summary) is { } statistics)
        {
            using var stats = staged.Create(Path.Combine(outputDirectory, StatisticsFile));
            stats.Write(Encoding.UTF8.GetBytes(statistics));
        }

        using (var manifest = staged.Create(Path.Combine(outputDirectory, ManifestFile)))
        {
            ManifestWriter.Write(manifest, request, summary);
        }

        staged.Commit();
        return files;
    }

    /// <summary>Merges several key-ordered sequences into one (each key is in one sequence only).</summary>
    public static IEnumerable<T> MergeByKey<T>(IEnumerable<IEnumerable<T>> sources, Func<T, string> key)
    {
        var enumerators = sources.Select(s => s.GetEnumerator()).ToList();
        try
        {
            var queue = new PriorityQueue<int, string>(StringComparer.Ordinal);
            for (int i = 0; i < enumerators.Count; i++)
            {
                if (enumerators[i].MoveNext())
                {
                    queue.Enqueue(i, key(enumerators[i].Current));
                }
            }

            while (queue.TryDequeue(out int index, out _))
            {
                var current = enumerators[index].Current;
                yield return current;
                if (enumerators[index].MoveNext())
                {
                    queue.Enqueue(index, key(enumerators[index].Current));
                }
            }
        }
        finally
        {
            foreach (var enumerator in enumerators)
            {
                enumerator.Dispose();
            }
        }
    }

    private static long WriteFile(IReadOnlyList<RunState> states, string file, string path, JsonStyle style, StagedOutput staged)
    {
        bool lines = file.EndsWith(".jsonl", StringComparison.Ordinal);
        bool raw = style.Indent is null && !style.EnsureAscii;
        using var stream = staged.Create(path);
        using var writer = new PythonJsonWriter(stream, style);
        long count = 0;
        if (!lines)
        {
            writer.WriteStartArray();
        }

        foreach (var (_, record) in MergeByKey(states.Select(s => s.Items.Records(file)), r => r.Key))
        {
            if (raw)
            {
                writer.WriteRawValue(record);
            }
            else
            {
                using var document = JsonDocument.Parse(record, JsonRecordReader.DocumentOptions);
                writer.WriteValue(document.RootElement);
            }

            if (lines)
            {
                writer.WriteNewLine();
            }

            count++;
        }

        if (!lines)
        {
            writer.WriteEndArray();
        }

        return count;
    }

    private static void WriteFailures(IReadOnlyList<RunState> states, string path, StagedOutput staged)
    {
        using var stream = staged.Create(path);
        using var writer = new PythonJsonWriter(stream, JsonStyle.Compact);
        foreach (var failure in MergeByKey(states.Select(s => s.Items.Failures()), f => f.Key))
        {
            writer.WriteStartObject();
            writer.WriteString("key", failure.Key);
            writer.WriteString("status", failure.Dropped ? "dropped" : "failed");
            writer.WriteString("stage", failure.Stage);
            writer.WriteString("kind", failure.Kind);
            writer.WriteString("message", failure.Message);
            writer.WriteNumber("attempts", failure.Attempts);
            if (failure.Backend is not null)
            {
                writer.WriteString("backend", failure.Backend);
            }

            if (failure.Detail is not null)
            {
                writer.WriteString("detail", failure.Detail);
            }

            writer.WriteEndObject();
            writer.WriteNewLine();
        }
    }

    /// <summary>The card for a recipe without its own: counts, tags, backends, seed, how to reproduce.</summary>
    public static string GenericCard(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Dataset: {summary.Recipe}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Made by {ToolInfo.Name} {ToolInfo.Version} with seed {summary.Seed}.\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"| items | count |\n|---|---|\n| done | {summary.Done} |\n| failed | {summary.Failed} "
            + $"|\n| dropped | {summary.Dropped} |\n\n");
        AppendFiles(sb, summary);
        foreach (var (tag, values) in summary.TagCounts)
        {
            sb.Append(CultureInfo.InvariantCulture, $"## By {tag}\n\n| {tag} | items |\n|---|---|\n");
            foreach (var (value, count) in values)
            {
                sb.Append(CultureInfo.InvariantCulture, $"| {value} | {count} |\n");
            }

            sb.Append('\n');
        }

        AppendBackends(sb, summary);
        AppendReproduce(sb, summary);
        return sb.ToString();
    }

    /// <summary>The dataset files and their record counts, as a Markdown table.</summary>
    public static void AppendFiles(StringBuilder sb, DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(summary);
        sb.Append("| file | records |\n|---|---|\n");
        foreach (var (file, records) in summary.Files)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| `{file}` | {records} |\n");
        }

        sb.Append('\n');
    }

    /// <summary>The backends and models that answered, as a Markdown list.</summary>
    public static void AppendBackends(StringBuilder sb, DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(summary);
        sb.Append("## Backends\n\n");
        if (summary.Usage.Count == 0)
        {
            sb.Append("No backend was called.\n\n");
            return;
        }

        foreach (var usage in summary.Usage)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- `{usage.Backend}` model `{usage.Model}`\n");
        }

        sb.Append('\n');
        if (summary.OutputModes.Count > 0)
        {
            sb.Append("Structured answers were asked for as:\n\n");
            foreach (var mode in summary.OutputModes)
            {
                sb.Append(CultureInfo.InvariantCulture,
                    $"- `{mode.Backend}` {mode.Endpoint}: `{mode.Mode}`{(mode.Reason is null ? "" : $" ({mode.Reason})")}\n");
            }

            sb.Append('\n');
        }
    }

    /// <summary>How to make the same dataset again.</summary>
    public static void AppendReproduce(StringBuilder sb, DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.ReproduceCommand is null)
        {
            return;
        }

        sb.Append("## Reproduce\n\n```\n").Append(summary.ReproduceCommand).Append("\n```\n\nThe same command, configuration and seed "
            + "give the same files, byte for byte, at any concurrency and however the run is sharded.\n");
    }
}
