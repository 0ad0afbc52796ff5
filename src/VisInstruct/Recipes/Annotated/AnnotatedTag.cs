using VisInstruct.Engine;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// A tag the annotation recipes put on each item (<see cref="ItemResult.Tag"/>) and read back, counted by value, from
/// the run's <see cref="DatasetSummary.TagCounts"/>; declared once, like <see cref="AnnotatedCounter"/>.
/// </summary>
public sealed record AnnotatedTag
{
    private AnnotatedTag(string key) => Key = key;

    /// <summary>The name in the run's tags.</summary>
    public string Key { get; }

    /// <summary>The item's task (<c>conversation</c>, ...); counters are also summed per task.</summary>
    public static AnnotatedTag Task { get; } = new("task");

    /// <summary>Who wrote the answers: <see cref="LlmSource"/> or <see cref="ProceduralSource"/>.</summary>
    public static AnnotatedTag Source { get; } = new("source");

    /// <summary>The model's window as the item saw it (only with an LLM).</summary>
    public static AnnotatedTag ContextWindow { get; } = new("context_window");

    /// <summary>
    /// The item's image (a <see cref="DatasetSummary.OncePrefix"/> tag): the totals count each image of a finished item
    /// once, with its boxes, regions and captions, whichever of its tasks were written.
    /// </summary>
    public static AnnotatedTag Image { get; } = new(DatasetSummary.OncePrefix + "image");

    /// <summary>The <see cref="Source"/> of answers an LLM wrote from the annotation context.</summary>
    public const string LlmSource = "llm";

    /// <summary>The <see cref="Source"/> of answers the procedural question engine wrote.</summary>
    public const string ProceduralSource = "procedural";

    /// <summary>How many items had each value of this tag in <paramref name="summary"/>, or null when none had it.</summary>
    public SortedDictionary<string, long>? In(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary.TagCounts.GetValueOrDefault(Key);
    }
}
