namespace VisInstruct.Report;

/// <summary>
/// A histogram of non-negative whole numbers in fixed-width bins (the last bin takes everything above), with the
/// exact count, mean, minimum and maximum beside it. Bounded memory whatever the number of values.
/// </summary>
public sealed class Histogram
{
    private readonly long[] _bins;

    public Histogram(string name, string unit, int binWidth, int binCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(binWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 2);
        Name = name;
        Unit = unit;
        BinWidth = binWidth;
        _bins = new long[binCount];
    }

    public string Name { get; }

    public string Unit { get; }

    public int BinWidth { get; }

    public long Count { get; private set; }

    public long Sum { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    public long Max { get; private set; }

    public double Mean => Count == 0 ? 0 : (double)Sum / Count;

    public IReadOnlyList<long> Bins => _bins;

    public void Add(long value)
    {
        value = Math.Max(0, value);
        int bin = (int)Math.Min(_bins.Length - 1, value / BinWidth);
        _bins[bin]++;
        Count++;
        Sum += value;
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
    }

    /// <summary>The label of bin <paramref name="index"/>: <c>0</c>, <c>10-19</c>, or <c>200+</c> for the last.</summary>
    public string Label(int index)
    {
        long low = (long)index * BinWidth;
        if (index == _bins.Length - 1)
        {
            return FormattableString.Invariant($"{low}+");
        }

        return BinWidth == 1 ? FormattableString.Invariant($"{low}") : FormattableString.Invariant($"{low}-{low + BinWidth - 1}");
    }

    /// <summary>The bins up to the last one that holds a value (at least one), so charts do not trail empty bins.</summary>
    public int UsedBins
    {
        get
        {
            int last = _bins.Length - 1;
            while (last > 0 && _bins[last] == 0)
            {
                last--;
            }

            return last + 1;
        }
    }
}
