using VisInstruct.Datasets;
using VisInstruct.Engine;

namespace VisInstruct.Filters;

/// <summary>A sample as a filter sees it: its key in the filter run, the sample, and its image files resolved.</summary>
public sealed record FilterSubject(string Key, DatasetSample Sample, IReadOnlyList<string> Images)
{
    public string Id => Sample.Id;

    public string Group => Sample.Group;
}

/// <summary>
/// A filter that asks a model about each sample (the blind-answer filter, the image-text consistency judges). It runs
/// as an engine stage, so its calls go through the run's gateway: cached (a rerun asks nothing again), journalled,
/// budgeted and counted. A backend failure is thrown (the engine records the item as failed, and
/// <c>--retry-failed</c> tries it again); a verdict is never guessed.
/// </summary>
public interface ISampleJudge
{
    /// <summary>The filter's name (<see cref="FilterNames"/>).</summary>
    string Name { get; }

    /// <summary>The backend lane whose concurrency limit its stage uses (<c>llm</c>, <c>vision</c>).</summary>
    string Backend { get; }

    /// <summary>Its settings, one line for the card and the run's fingerprint (models included).</summary>
    string Settings { get; }

    ValueTask<FilterVerdict> JudgeAsync(FilterSubject subject, SampleContext context, CancellationToken cancellationToken);
}

/// <summary>
/// The filters by name: what <c>--filters</c>, <c>--drop</c>, the config's <c>filters:</c> keys and <c>filters.jsonl</c> say.
/// </summary>
public static class FilterNames
{
    /// <summary>Empty or overlong answers, repeated sentences, answers about their inputs, token and role problems.</summary>
    public const string Text = "text";

    /// <summary>Turns written in another language than the requested one.</summary>
    public const string Language = "language";

    /// <summary>Near-duplicate images (perceptual hash), within the dataset and against <c>--against</c> datasets.</summary>
    public const string ImageDup = "image-dup";

    /// <summary>Exact and near-duplicate conversations (normalised text, MinHash), per group.</summary>
    public const string TextDup = "text-dup";

    /// <summary>Closed-form questions the LLM answers right without the image.</summary>
    public const string Blind = "blind";

    /// <summary>Dialogues whose claims the vision judges do not find in the image.</summary>
    public const string Consistency = "consistency";

    /// <summary>The filters that need no model, in the order they run.</summary>
    public static IReadOnlyList<string> Offline { get; } = [Text, Language, ImageDup, TextDup];

    /// <summary>Every filter, in the order they run and <c>filters.jsonl</c> lists them per sample.</summary>
    public static IReadOnlyList<string> All { get; } = [Text, Language, ImageDup, TextDup, Blind, Consistency];
}
