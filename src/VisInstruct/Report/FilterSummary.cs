using System.Globalization;
using VisInstruct.Filters;

namespace VisInstruct.Report;

/// <summary>
/// What a <c>filters.jsonl</c> says, summed per filter in two streaming passes (the first counts and finds each
/// filter's score range, the second bins the scores): samples checked, flagged and dropped, counts by reason, the
/// checked parts and hits per group, a fixed-bin score histogram and a few flagged examples per reason. Memory grows
/// with the number of filters, reasons and groups, never with the number of lines.
/// </summary>
internal sealed class FilterSummary
{
    /// <summary>The most examples kept per filter and reason.</summary>
    public const int ExamplesPerReason = 12;

    private readonly Dictionary<string, FilterTally> _filters = new(StringComparer.Ordinal);

    /// <summary>The filters in the order their first line came.</summary>
    public List<FilterTally> Filters { get; } = [];

    public static FilterSummary Read(string path, CancellationToken cancellationToken)
    {
        var summary = new FilterSummary();
        foreach (var line in FilterLog.Read(path))
        {
            cancellationToken.ThrowIfCancellationRequested();
            summary.Add(line);
        }

        if (summary.Filters.Any(f => f.Scores.Count > 0))
        {
            foreach (var tally in summary.Filters)
            {
                tally.Scores.FixBins();
            }

            foreach (var line in FilterLog.Read(path))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (line.Verdict.Score is { } score)
                {
                    summary._filters[line.Verdict.Filter].Scores.Bin(score);
                }
            }
        }

        return summary;
    }

    /// <summary>Counts one line (the first pass).</summary>
    public void Add(FilterLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var v = line.Verdict;
        if (!_filters.TryGetValue(v.Filter, out var tally))
        {
            _filters[v.Filter] = tally = new FilterTally(v.Filter);
            Filters.Add(tally);
        }

        tally.Add(line);
    }
}

/// <summary>One filter's sums in a <see cref="FilterSummary"/>.</summary>
internal sealed class FilterTally(string name)
{
    public string Name { get; } = name;

    public long Samples { get; private set; }

    public long Flagged { get; private set; }

    public long Dropped { get; private set; }

    /// <summary>Flagged and dropped samples per reason, by reason.</summary>
    public SortedDictionary<string, ReasonCount> Reasons { get; } = new(StringComparer.Ordinal);

    /// <summary>Per group: samples, flagged, and the summed checked parts and hits of filters that report them.</summary>
    public SortedDictionary<string, GroupCount> Groups { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether any line carried checked parts (blind, consistency): the page then shows the hit shares.</summary>
    public bool HasParts { get; private set; }

    public ScoreBins Scores { get; } = new();

    /// <summary>Up to <see cref="FilterSummary.ExamplesPerReason"/> flagged lines per reason, in file order.</summary>
    public SortedDictionary<string, List<FilterLine>> Examples { get; } = new(StringComparer.Ordinal);

    public void Add(FilterLine line)
    {
        var v = line.Verdict;
        Samples++;
        if (!Groups.TryGetValue(line.Group, out var group))
        {
            Groups[line.Group] = group = new GroupCount();
        }

        group.Samples++;
        if (v.Checked is { } parts)
        {
            HasParts = true;
            group.Checked += parts;
            group.Hits += v.Hits ?? 0;
        }

        if (v.Score is { } score)
        {
            Scores.See(score);
        }

        if (line.Dropped)
        {
            Dropped++;
        }

        if (!v.Flagged && !line.Dropped)
        {
            return;
        }

        Flagged += v.Flagged ? 1 : 0;
        group.Flagged += v.Flagged ? 1 : 0;
        string reason = v.Reason ?? "(no reason)";
        if (!Reasons.TryGetValue(reason, out var count))
        {
            Reasons[reason] = count = new ReasonCount();
        }

        count.Samples++;
        count.Flagged += v.Flagged ? 1 : 0;
        count.Dropped += line.Dropped ? 1 : 0;
        if (!Examples.TryGetValue(reason, out var examples))
        {
            Examples[reason] = examples = [];
        }

        if (examples.Count < FilterSummary.ExamplesPerReason)
        {
            examples.Add(line);
        }
    }
}

/// <summary>Flagged and dropped samples of one reason.</summary>
internal sealed class ReasonCount
{
    /// <summary>Samples flagged or dropped for this reason.</summary>
    public long Samples { get; set; }

    public long Flagged { get; set; }

    public long Dropped { get; set; }
}

/// <summary>One group's sums for one filter.</summary>
internal sealed class GroupCount
{
    public long Samples { get; set; }

    public long Flagged { get; set; }

    public long Checked { get; set; }

    public long Hits { get; set; }

    /// <summary>Hits over checked parts, or null when none were checked.</summary>
    public double? Share => Checked == 0 ? null : (double)Hits / Checked;
}

/// <summary>
/// A score histogram whose bins are fixed after the first pass from the scores' range: whole-number scores get one
/// bin per value (or whole-number bins of equal width over a wide range), others twenty equal bins (over [0, 1] when
/// they all lie there).
/// </summary>
internal sealed class ScoreBins
{
    private const int MaxBins = 30;

    private const int FractionBins = 20;

    private long[] _counts = [];

    public long Count { get; private set; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    /// <summary>Whether every score is a whole number.</summary>
    public bool Integral { get; private set; } = true;

    public double Low { get; private set; }

    public double Width { get; private set; } = 1;

    public IReadOnlyList<long> Counts => _counts;

    public void See(double score)
    {
        Count++;
        Min = Math.Min(Min, score);
        Max = Math.Max(Max, score);
        Integral &= score == Math.Floor(score) && Math.Abs(score) < 1e15;
    }

    public void FixBins()
    {
        if (Count == 0)
        {
            return;
        }

        if (Integral)
        {
            Low = Min;
            double range = Max - Min + 1;
            Width = Math.Max(1, Math.Ceiling(range / MaxBins));
            _counts = new long[(int)Math.Ceiling(range / Width)];
            return;
        }

        (Low, double high) = Min >= 0 && Max <= 1 ? (0.0, 1.0) : (Min, Max);
        Width = (high - Low) / FractionBins;
        _counts = new long[FractionBins];
    }

    public void Bin(double score)
    {
        if (_counts.Length == 0)
        {
            return;
        }

        int bin = Width <= 0 ? 0 : (int)Math.Floor((score - Low) / Width);
        _counts[Math.Clamp(bin, 0, _counts.Length - 1)]++;
    }

    /// <summary>A bin's label: the value (<c>3</c>), whole-number range (<c>10-19</c>) or lower edge (<c>0.35</c>).</summary>
    public string Label(int index)
    {
        double low = Low + index * Width;
        if (!Integral)
        {
            return low.ToString("0.###", CultureInfo.InvariantCulture);
        }

        return Width == 1 ? low.ToString("0", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{low:0}-{low + Width - 1:0}");
    }

    public IReadOnlyList<(string Label, long Value)> Bars() => [.. _counts.Select((c, i) => (Label(i), c))];
}
