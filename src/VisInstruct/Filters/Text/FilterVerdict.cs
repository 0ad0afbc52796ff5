namespace VisInstruct.Filters.Text;

/// <summary>
/// What one filter says of one sample, as a line of <c>filters.jsonl</c> records it: the sample, the filter, a score
/// where the filter has one, whether it flags the sample, and why.
/// </summary>
public sealed record FilterVerdict(string SampleId, string Filter, double? Score, bool Flagged, string? Reason)
{
    public static FilterVerdict Pass(string sampleId, string filter, double? score = null) => new(sampleId, filter, score, false, null);

    public static FilterVerdict Flag(string sampleId, string filter, string reason, double? score = null) =>
        new(sampleId, filter, score, true, reason);
}
