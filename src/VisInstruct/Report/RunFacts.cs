using System.Globalization;
using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Report;

/// <summary>
/// What a run folder says about itself, read for the report: the manifest's facts (recipe, seed, tool version,
/// counts, timings, cost, the backends and models with their usage), its quality counters (dedup, grounding,
/// verification, check and repair figures; the per-answer tallies are left out), the failures and drops by stage
/// and kind with a first message of each, and the flat figures of <c>stats.json</c>.
/// </summary>
public sealed class RunFacts
{
    /// <summary>Counters shown in full; the answer tallies (<c>answer:</c>, <c>answer_form:</c>) are distributions, not checks.</summary>
    private static readonly string[] TallyPrefixes = ["answer:", "answer_form:"];

    private const int MaxRows = 400;

    public List<(string Name, string Value)> Card { get; } = [];

    public List<UsageRow> Usage { get; } = [];

    public List<(string Name, long Value)> Counters { get; } = [];

    public List<FailureRow> Failures { get; } = [];

    public List<(string Name, string Value)> Statistics { get; } = [];

    /// <summary>One backend and model of the run with what it was asked for.</summary>
    public sealed record UsageRow(string Backend, string Model, long Requests, long CacheHits, long Errors, long InputTokens,
        long OutputTokens, long Images);

    /// <summary>Failed or dropped items of one stage and kind, with the first message seen.</summary>
    public sealed class FailureRow(string status, string stage, string kind)
    {
        public string Status { get; } = status;

        public string Stage { get; } = stage;

        public string Kind { get; } = kind;

        public long Count { get; set; }

        public string? Example { get; set; }

        public string? ExampleKey { get; set; }
    }

    /// <summary>Reads the manifest, failures and statistics a folder has (any of them may be absent).</summary>
    public static RunFacts Read(string? manifestPath, string? failuresPath, string? statsPath, CancellationToken cancellationToken)
    {
        var facts = new RunFacts();
        if (manifestPath is not null)
        {
            facts.ReadManifest(manifestPath);
        }

        // A run without failures writes an empty failures.jsonl.
        if (failuresPath is not null && new FileInfo(failuresPath).Length > 0)
        {
            facts.ReadFailures(failuresPath, cancellationToken);
        }

        if (statsPath is not null)
        {
            using var document = Parse(statsPath);
            Flatten(document.RootElement, "", facts.Statistics, depth: 0);
        }

        return facts;
    }

    private void ReadManifest(string path)
    {
        using var document = Parse(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InputFormatException(path, "the manifest is not a JSON object", field: "$");
        }

        foreach (string name in new[] { "recipe", "seed", "tool", "version", "complete", "stop_reason" })
        {
            if (root.TryGetProperty(name, out var value))
            {
                Card.Add((name, Text(value)));
            }
        }

        if (root.TryGetProperty("cost_usd", out var cost) && cost.ValueKind == JsonValueKind.Number)
        {
            Card.Add(("cost_usd", cost.GetDouble().ToString("0.######", CultureInfo.InvariantCulture)));
        }

        foreach (string section in new[] { "counts", "timings", "shard", "budget" })
        {
            if (root.TryGetProperty(section, out var value) && value.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in value.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Object))
                {
                    Card.Add((section + "." + property.Name, Text(property.Value)));
                }
            }
        }

        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Array)
        {
            foreach (var row in usage.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object))
            {
                Usage.Add(new UsageRow(String(row, "backend"), String(row, "model"), Number(row, "requests"), Number(row, "cache_hits"),
                    Number(row, "errors"), Number(row, "input_tokens"), Number(row, "output_tokens"), Number(row, "images")));
            }
        }

        if (root.TryGetProperty("counters", out var counters) && counters.ValueKind == JsonValueKind.Object)
        {
            foreach (var counter in counters.EnumerateObject())
            {
                if (counter.Value.ValueKind == JsonValueKind.Number && Counters.Count < MaxRows
                    && !TallyPrefixes.Any(p => counter.Name.StartsWith(p, StringComparison.Ordinal)))
                {
                    Counters.Add((counter.Name, (long)counter.Value.GetDouble()));
                }
            }
        }

        // Without failures.jsonl the manifest's summary of them still tells the counts.
        if (root.TryGetProperty("failures", out var failures) && failures.ValueKind == JsonValueKind.Array)
        {
            foreach (var row in failures.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object))
            {
                Row(String(row, "status"), String(row, "stage"), String(row, "kind")).Count += Number(row, "count");
            }
        }
    }

    private void ReadFailures(string path, CancellationToken cancellationToken)
    {
        bool summarised = Failures.Count > 0;
        using var reader = JsonRecordReader.Open(path);
        while (reader.TryRead(out var raw))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var document = JsonDocument.Parse(raw.Utf8);
            var record = document.RootElement;
            if (record.ValueKind != JsonValueKind.Object)
            {
                throw new InputFormatException(path, "a failure record is not a JSON object", raw.Start, "$", raw.Index);
            }

            var row = Row(String(record, "status"), String(record, "stage"), String(record, "kind"));
            if (!summarised)
            {
                row.Count++;
            }

            if (row.Example is null)
            {
                row.Example = String(record, "message");
                row.ExampleKey = String(record, "key");
            }
        }
    }

    private FailureRow Row(string status, string stage, string kind)
    {
        var row = Failures.FirstOrDefault(f => f.Status == status && f.Stage == stage && f.Kind == kind);
        if (row is null)
        {
            row = new FailureRow(status, stage, kind);
            Failures.Add(row);
        }

        return row;
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, JsonRecordReader.DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new InputFormatException(path, "not valid JSON: " + ex.Message,
                new SourcePosition((ex.LineNumber ?? 0) + 1, (ex.BytePositionInLine ?? 0) + 1, -1), innerException: ex);
        }
    }

    private static void Flatten(JsonElement element, string prefix, List<(string, string)> rows, int depth)
    {
        if (rows.Count >= MaxRows)
        {
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object when depth < 4:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, prefix.Length == 0 ? property.Name : prefix + "." + property.Name, rows, depth + 1);
                }

                break;
            case JsonValueKind.Array:
                rows.Add((prefix, element.GetArrayLength().ToString(CultureInfo.InvariantCulture) + " entries"));
                break;
            case JsonValueKind.Object:
                break;
            default:
                rows.Add((prefix, Text(element)));
                break;
        }
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };

    private static string String(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static long Number(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? (long)value.GetDouble() : 0;
}
