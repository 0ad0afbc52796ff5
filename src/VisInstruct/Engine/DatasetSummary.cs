using System.Text.Json;

namespace VisInstruct.Engine;

/// <summary>The numbers a dataset card shows: items by status, counts by tag value, counters summed by tag value.</summary>
public sealed class DatasetSummary
{
    public required string Recipe { get; init; }

    public ulong Seed { get; init; }

    public string? ReproduceCommand { get; init; }

    public long Done { get; set; }

    public long Failed { get; set; }

    public long Dropped { get; set; }

    /// <summary>tag name → value → number of finished items with that value.</summary>
    public SortedDictionary<string, SortedDictionary<string, long>> TagCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>tag name → value → counter → sum over finished items with that value.</summary>
    public SortedDictionary<string, SortedDictionary<string, SortedDictionary<string, long>>> CountersByTag { get; } =
        new(StringComparer.Ordinal);

    /// <summary>
    /// A tag whose name starts with this is a "once" tag: its values (an image id shared by several items) are not
    /// counted in <see cref="TagCounts"/> or <see cref="CountersByTag"/>, but in <see cref="DistinctCounts"/>, and the
    /// counters of the first finished item with each value are summed in <see cref="DistinctCounters"/>, so that a total
    /// counts what several finished items share once.
    /// </summary>
    public const string OncePrefix = "once:";

    private readonly Dictionary<string, HashSet<string>> _onceSeen = new(StringComparer.Ordinal);

    /// <summary>once-tag name → number of distinct values among finished items.</summary>
    public SortedDictionary<string, long> DistinctCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>once-tag name → counter → sum over the first finished item of each distinct value.</summary>
    public SortedDictionary<string, SortedDictionary<string, long>> DistinctCounters { get; } = new(StringComparer.Ordinal);

    /// <summary>counter → sum over all finished items.</summary>
    public SortedDictionary<string, long> Counters { get; } = new(StringComparer.Ordinal);

    /// <summary>Backends and models that answered (from the usage totals).</summary>
    public IReadOnlyList<UsageTotals> Usage { get; set; } = [];

    /// <summary>The structured-output mode each LLM endpoint used this run (json_schema, json_object, instructions).</summary>
    public IReadOnlyList<Backends.Llm.EndpointOutputMode> OutputModes { get; set; } = [];

    /// <summary>Records per dataset file.</summary>
    public SortedDictionary<string, long> Files { get; } = new(StringComparer.Ordinal);

    internal void Add(ItemStatus status, string? tagsJson, string? countersJson)
    {
        switch (status)
        {
            case ItemStatus.Done:
                Done++;
                break;
            case ItemStatus.Failed:
                Failed++;
                return;
            default:
                Dropped++;
                return;
        }

        var tags = tagsJson is null ? null : JsonSerializer.Deserialize(tagsJson, EngineJsonContext.Default.SortedDictionaryStringString);
        var counters = countersJson is null ? null
            : JsonSerializer.Deserialize(countersJson, EngineJsonContext.Default.SortedDictionaryStringInt64);
        foreach (var (name, value) in counters ?? [])
        {
            Counters[name] = Counters.GetValueOrDefault(name) + value;
        }

        foreach (var (tag, value) in tags ?? [])
        {
            if (tag.StartsWith(OncePrefix, StringComparison.Ordinal))
            {
                AddOnce(tag, value, counters);
                continue;
            }

            var values = TagCounts.TryGetValue(tag, out var v) ? v : TagCounts[tag] = new(StringComparer.Ordinal);
            values[value] = values.GetValueOrDefault(value) + 1;
            var byValue = CountersByTag.TryGetValue(tag, out var b) ? b : CountersByTag[tag] = new(StringComparer.Ordinal);
            var sums = byValue.TryGetValue(value, out var s) ? s : byValue[value] = new(StringComparer.Ordinal);
            foreach (var (name, count) in counters ?? [])
            {
                sums[name] = sums.GetValueOrDefault(name) + count;
            }
        }
    }

    private void AddOnce(string tag, string value, SortedDictionary<string, long>? counters)
    {
        var seen = _onceSeen.TryGetValue(tag, out var h) ? h : _onceSeen[tag] = new(StringComparer.Ordinal);
        if (!seen.Add(value))
        {
            return;
        }

        DistinctCounts[tag] = DistinctCounts.GetValueOrDefault(tag) + 1;
        var sums = DistinctCounters.TryGetValue(tag, out var d) ? d : DistinctCounters[tag] = new(StringComparer.Ordinal);
        foreach (var (name, count) in counters ?? [])
        {
            sums[name] = sums.GetValueOrDefault(name) + count;
        }
    }
}
