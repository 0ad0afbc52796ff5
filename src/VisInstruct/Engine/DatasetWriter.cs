using System.Globalization;
using System.Text;
using System.Text.Json;
using VisInstruct.IO;
using VisInstruct.Json;

namespace VisInstruct.Engine;

/// <summary>What the dataset files are written from, besides the run states.</summary>
public sealed class MaterializeRequest
{
    public required string Recipe { get; init; }

    public ulong Seed { get; init; }

    public string ResolvedConfig { get; init; } = "{}";

    public Func<DatasetSummary, string>? Card { get; init; }

    /// <summary>Writes <c>stats.json</c> (the recipe's statistics as JSON) from the summary; null for none.</summary>
    public Func<DatasetSummary, string>? Statistics { get; init; }

    public string? ReproduceCommand { get; init; }

    /// <summary>How each LLM endpoint was asked for structured answers this run; null: none recorded.</summary>
    public Func<IReadOnlyList<Backends.Llm.EndpointOutputMode>>? OutputModes { get; init; }

    public JsonStyle Style { get; init; } = JsonStyle.Compact;

    public required RunOutcome Outcome { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where files are staged before they are moved into place (same filesystem as the output).</summary>
    public string? TempDirectory { get; init; }
}

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
    public static IReadOnlyList<string> Materialize(IReadOnlyList<RunState> states, string outputDirectory, GenerationPlan plan, RunOutcome outcome, EngineOptions options)
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
        var summary = new DatasetSummary { Recipe = request.Recipe, Seed = request.Seed, ReproduceCommand = request.ReproduceCommand, Usage = request.Outcome.Usage,
            OutputModes = Backends.Llm.EndpointOutputMode.Combine(states.SelectMany(s => Backends.Llm.EndpointOutputMode.Decode(s.Meta.Get(OutputModesMeta))),
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

        if (request.Statistics is { } statistics)
        {
            using var stats = staged.Create(Path.Combine(outputDirectory, StatisticsFile));
            stats.Write(Encoding.UTF8.GetBytes(statistics(summary)));
        }

        using (var manifest = staged.Create(Path.Combine(outputDirectory, ManifestFile)))
        {
            WriteManifest(manifest, request, summary);
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

    private static void WriteManifest(Stream stream, MaterializeRequest request, DatasetSummary summary)
    {
        var outcome = request.Outcome;
        using var writer = new PythonJsonWriter(stream, JsonStyle.Indented(2), leaveOpen: true);
        writer.WriteStartObject();
        writer.WriteString("tool", ToolInfo.Name);
        writer.WriteString("version", ToolInfo.Version);
        writer.WriteString("recipe", request.Recipe);
        writer.WriteString("seed", request.Seed.ToString(CultureInfo.InvariantCulture));
        writer.WritePropertyName("shard");
        writer.WriteStartObject();
        writer.WriteNumber("index", outcome.Shard.Index);
        writer.WriteNumber("count", Math.Max(1, outcome.Shard.Count));
        writer.WriteEndObject();
        writer.WritePropertyName("complete");
        writer.WriteBooleanValue(outcome.Complete);
        if (outcome.StopReason is not null)
        {
            writer.WriteString("stop_reason", outcome.StopReason);
        }

        writer.WritePropertyName("counts");
        writer.WriteStartObject();
        WriteNumber(writer, "items", outcome.Items);
        WriteNumber(writer, "done", outcome.Done);
        WriteNumber(writer, "failed", outcome.Failed);
        WriteNumber(writer, "dropped", outcome.Dropped);
        WriteNumber(writer, "pending", outcome.Pending);
        writer.WriteEndObject();

        writer.WritePropertyName("files");
        writer.WriteStartObject();
        foreach (var (file, records) in summary.Files)
        {
            WriteNumber(writer, file, records);
        }

        writer.WriteEndObject();

        writer.WritePropertyName("failures");
        writer.WriteStartArray();
        foreach (var failure in outcome.Failures)
        {
            writer.WriteStartObject();
            writer.WriteString("stage", failure.Stage);
            writer.WriteString("kind", failure.Kind);
            writer.WriteString("status", failure.Dropped ? "dropped" : "failed");
            WriteNumber(writer, "count", failure.Count);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WritePropertyName("timings");
        writer.WriteStartObject();
        writer.WriteString("written", request.Time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        writer.WriteNumber("last_run_seconds", Math.Round(outcome.Elapsed.TotalSeconds, 3));
        WriteNumber(writer, "last_run_items", outcome.ProcessedNow);
        writer.WriteEndObject();

        writer.WritePropertyName("usage");
        writer.WriteStartArray();
        foreach (var usage in outcome.Usage)
        {
            writer.WriteStartObject();
            writer.WriteString("backend", usage.Backend);
            writer.WriteString("model", usage.Model);
            WriteNumber(writer, "requests", usage.Requests);
            WriteNumber(writer, "cache_hits", usage.CacheHits);
            WriteNumber(writer, "errors", usage.Errors);
            WriteNumber(writer, "input_tokens", usage.InputTokens);
            WriteNumber(writer, "output_tokens", usage.OutputTokens);
            WriteNumber(writer, "images", usage.Images);
            writer.WriteNumber("image_seconds", Math.Round(usage.ImageSeconds, 3));
            if (usage.Lost > 0)
            {
                // Sent by a process that was killed before the answers were recorded: counted in "requests" (they
                // were sent, and a paid API bills them), their tokens estimated.
                WriteNumber(writer, "lost_answers", usage.Lost);
                WriteNumber(writer, "estimated_tokens", usage.EstimatedTokens);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (summary.OutputModes.Count > 0)
        {
            writer.WritePropertyName("structured_output");
            writer.WriteStartArray();
            foreach (var mode in summary.OutputModes)
            {
                writer.WriteStartObject();
                writer.WriteString("backend", mode.Backend);
                writer.WriteString("endpoint", mode.Endpoint);
                writer.WriteString("mode", mode.Mode);
                if (mode.Reason is not null)
                {
                    writer.WriteString("reason", mode.Reason);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (summary.Counters.Count > 0)
        {
            writer.WritePropertyName("counters");
            writer.WriteStartObject();
            foreach (var (name, value) in summary.Counters)
            {
                WriteNumber(writer, name, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteNumber("cost_usd", (double)Math.Round(outcome.Cost, 6));
        if (outcome.Budget is { } budget)
        {
            writer.WritePropertyName("budget");
            writer.WriteStartObject();
            if (budget.MaxCost is { } maxCost)
            {
                writer.WriteNumber("max_cost_usd", (double)maxCost);
            }

            if (budget.MaxRequests is { } maxRequests)
            {
                WriteNumber(writer, "max_requests", maxRequests);
            }

            writer.WriteNumber("spent_usd", (double)Math.Round(budget.Spent, 6));
            WriteNumber(writer, "requests", budget.Requests);
            WriteNumber(writer, "open_reservations", budget.OpenRequests);
            writer.WriteNumber("reserved_usd", (double)Math.Round(budget.ReservedCost, 6));
            writer.WriteEndObject();
        }
        if (outcome.UnpricedModels.Count > 0)
        {
            writer.WritePropertyName("unpriced_models");
            writer.WriteStartArray();
            foreach (string model in outcome.UnpricedModels)
            {
                writer.WriteStringValue(model);
            }

            writer.WriteEndArray();
        }

        writer.WritePropertyName("config");
        using (var config = JsonDocument.Parse(request.ResolvedConfig))
        {
            writer.WriteValue(config.RootElement);
        }

        writer.WriteEndObject();
        writer.WriteNewLine();
    }

    private static void WriteNumber(PythonJsonWriter writer, string name, long value)
    {
        writer.WriteNumber(name, value);
    }

    /// <summary>The card for a recipe without its own: counts, tags, backends, seed, how to reproduce.</summary>
    public static string GenericCard(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Dataset: {summary.Recipe}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Made by {ToolInfo.Name} {ToolInfo.Version} with seed {summary.Seed}.\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"| items | count |\n|---|---|\n| done | {summary.Done} |\n| failed | {summary.Failed} |\n| dropped | {summary.Dropped} |\n\n");
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
                sb.Append(CultureInfo.InvariantCulture, $"- `{mode.Backend}` {mode.Endpoint}: `{mode.Mode}`{(mode.Reason is null ? "" : $" ({mode.Reason})")}\n");
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

        sb.Append("## Reproduce\n\n```\n").Append(summary.ReproduceCommand).Append("\n```\n\nThe same command, configuration and seed give the same files, byte for byte, at any concurrency and however the run is sharded.\n");
    }
}
