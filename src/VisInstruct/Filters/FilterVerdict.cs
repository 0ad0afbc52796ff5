namespace VisInstruct.Filters;

/// <summary>
/// What one filter says of one sample, as a line of <c>filters.jsonl</c> records it: the sample, the filter, a score
/// where the filter has one, whether it flags the sample, and why. Filters that check several parts of a sample
/// (closed-form questions asked blind, judges asked) say how many they checked and how many hit, so that shares can be
/// summed over a group of samples; <see cref="Detail"/> is a short human-readable note (the duplicate's id, what the
/// blind model answered).
/// </summary>
public sealed record FilterVerdict(string SampleId, string Filter, double? Score, bool Flagged, string? Reason)
{
    /// <summary>How many parts of the sample the filter checked (questions, judges), or null when it checks it whole.</summary>
    public int? Checked { get; init; }

    /// <summary>How many of the <see cref="Checked"/> parts hit (answered blind, accepted by a judge).</summary>
    public int? Hits { get; init; }

    /// <summary>A short note on the verdict, or null.</summary>
    public string? Detail { get; init; }

    public static FilterVerdict Pass(string sampleId, string filter, double? score = null) => new(sampleId, filter, score, false, null);

    public static FilterVerdict Flag(string sampleId, string filter, string reason, double? score = null) =>
        new(sampleId, filter, score, true, reason);
}
