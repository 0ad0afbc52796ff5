using VisInstruct.Engine;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// A counter the annotation recipes record per item (<see cref="ItemResult.Count"/>) and read back from the run's
/// <see cref="DatasetSummary"/> for the card and <c>stats.json</c>. Every name is declared here, once: the assembly
/// stage writes these and the card and statistics read these, so neither side spells a name of its own.
/// </summary>
public sealed record AnnotatedCounter
{
    private const string GroundingDroppedPrefix = "grounding_dropped_";

    private AnnotatedCounter(string key) => Key = key;

    /// <summary>The name in the run's counters (and so in the state and the summary).</summary>
    public string Key { get; }

    /// <summary>The task's input: object boxes, region descriptions, captions of the image.</summary>
    public static AnnotatedCounter Objects { get; } = new("objects");

    public static AnnotatedCounter Regions { get; } = new("regions");

    public static AnnotatedCounter Captions { get; } = new("captions");

    /// <summary>User turns and model turns written.</summary>
    public static AnnotatedCounter Questions { get; } = new("questions");

    public static AnnotatedCounter Answers { get; } = new("answers");

    public static AnnotatedCounter Conversations { get; } = new("conversations");

    /// <summary>Contexts cut to fit the window, and the lines the cuts left out.</summary>
    public static AnnotatedCounter ContextCut { get; } = new("context_cut");

    public static AnnotatedCounter ObjectsCut { get; } = new("objects_cut");

    public static AnnotatedCounter RegionsCut { get; } = new("regions_cut");

    /// <summary>The LLM's repair turns: sent, left out for the window, and answers kept with problems after one.</summary>
    public static AnnotatedCounter RepairRequests { get; } = new("repair_requests");

    public static AnnotatedCounter RepairSkippedWindow { get; } = new("repair_skipped_window");

    public static AnnotatedCounter KeptWithProblems { get; } = new("kept_with_problems");

    /// <summary>The grounding check of referring QA: pairs and boxes checked and passed.</summary>
    public static AnnotatedCounter GroundingPairs { get; } = new("grounding_pairs");

    public static AnnotatedCounter GroundingPairsKept { get; } = new("grounding_pairs_kept");

    public static AnnotatedCounter GroundingBoxes { get; } = new("grounding_boxes");

    public static AnnotatedCounter GroundingBoxesPassed { get; } = new("grounding_boxes_passed");

    /// <summary>Pairs the grounding check dropped for <paramref name="reason"/> (one of <see cref="Grounding.Reasons"/>).</summary>
    public static AnnotatedCounter GroundingDropped(string reason) => new(GroundingDroppedPrefix + reason);

    /// <summary>The reasons of the <see cref="GroundingDropped"/> counters among <paramref name="counters"/>, with their counts.</summary>
    public static IReadOnlyList<KeyValuePair<string, long>> GroundingDroppedIn(IReadOnlyDictionary<string, long> counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        return counters.Where(c => c.Key.StartsWith(GroundingDroppedPrefix, StringComparison.Ordinal))
            .Select(c => new KeyValuePair<string, long>(c.Key[GroundingDroppedPrefix.Length..], c.Value)).ToList();
    }

    /// <summary>This counter's value among <paramref name="counters"/> (0 when absent).</summary>
    public long In(IReadOnlyDictionary<string, long> counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        return counters.GetValueOrDefault(Key);
    }

    /// <summary>Whether <paramref name="counters"/> hold this counter at all.</summary>
    public bool IsIn(IReadOnlyDictionary<string, long> counters, out long value)
    {
        ArgumentNullException.ThrowIfNull(counters);
        return counters.TryGetValue(Key, out value);
    }
}

/// <summary>Records <see cref="AnnotatedCounter"/>s and <see cref="AnnotatedTag"/>s on an item's result.</summary>
internal static class AnnotatedItemResults
{
    public static ItemResult Count(this ItemResult result, AnnotatedCounter counter, long value) => result.Count(counter.Key, value);

    public static ItemResult Tag(this ItemResult result, AnnotatedTag tag, string value) => result.Tag(tag.Key, value);
}
