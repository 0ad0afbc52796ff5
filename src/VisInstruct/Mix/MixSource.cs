using VisInstruct.Datasets;
using VisInstruct.Randomness;

namespace VisInstruct.Mix;

/// <summary>What a mix counted of one group inside a source.</summary>
public sealed class GroupCounts
{
    public long Read { get; internal set; }

    public long Refused { get; internal set; }

    public long Duplicates { get; internal set; }

    /// <summary>Checked and distinct: the samples the spec and caps choose from.</summary>
    public long Usable { get; internal set; }

    /// <summary>Usable samples left by the group's cap (all of them without one).</summary>
    public long Capped { get; internal set; }

    /// <summary>Training records written (repeats counted).</summary>
    public long Taken { get; internal set; }

    public long HeldOut { get; internal set; }
}

/// <summary>
/// One source of a mix as it is read: the dataset, which of its records are usable (one bit each), its counts per
/// group and reason, and the seeded choice of how many copies of each usable record the mix takes.
/// </summary>
public sealed class MixSource
{
    private readonly List<ulong> _usable = [];
    private readonly Dictionary<string, Selection> _caps = new(StringComparer.Ordinal);
    private Selection? _rest;
    private long _whole;

    internal MixSource(MixInput input, DatasetSource dataset)
    {
        Input = input;
        Dataset = dataset;
    }

    public MixInput Input { get; }

    public string Name => Input.Name;

    public DatasetSource Dataset { get; }

    public long Read { get; internal set; }

    public RefusalTally Refusals { get; } = new();

    public long Duplicates { get; internal set; }

    public SortedDictionary<string, GroupCounts> Groups { get; } = new(StringComparer.Ordinal);

    /// <summary>Usable samples after the caps: what the spec takes its share of.</summary>
    public long Usable { get; private set; }

    /// <summary>The number of training records the spec asks for (before the holdout takes its share).</summary>
    public long Target { get; private set; }

    /// <summary>How many distinct samples the spec takes (each once or more).</summary>
    public long Distinct => Usable == 0 ? 0 : Target >= Usable ? Usable : Target;

    public long Taken { get; internal set; }

    public long HeldOut { get; internal set; }

    internal GroupCounts Group(string name)
    {
        if (!Groups.TryGetValue(name, out var counts))
        {
            counts = new GroupCounts();
            Groups[name] = counts;
        }

        return counts;
    }

    internal void MarkUsable(long index)
    {
        int word = (int)(index >> 6);
        while (_usable.Count <= word)
        {
            _usable.Add(0);
        }

        _usable[word] |= 1UL << (int)(index & 63);
    }

    internal bool IsUsable(long index)
    {
        int word = (int)(index >> 6);
        return word < _usable.Count && (_usable[word] & (1UL << (int)(index & 63))) != 0;
    }

    /// <summary>
    /// Fixes the caps and the spec's target from the usable counts; the choices themselves are drawn as records
    /// stream by.
    /// </summary>
    internal void Plan(IEnumerable<GroupCap> caps, ulong seed)
    {
        var mine = caps.Where(c => c.Source is null || c.Source == Name).ToList();
        foreach (var (group, counts) in Groups)
        {
            // A cap for this source by name wins over one for every source.
            var cap = mine.LastOrDefault(c => c.Group == group && c.Source is not null) ?? mine.LastOrDefault(c => c.Group == group);
            counts.Capped = cap is null ? counts.Usable : Math.Min(counts.Usable, cap.Take.Target(counts.Usable));
            if (counts.Capped < counts.Usable)
            {
                _caps[group] = new Selection(DeterministicRandom.For(seed, $"mix/cap/{Name}/{group}"), counts.Capped, counts.Usable);
            }
        }

        Usable = Groups.Values.Sum(g => g.Capped);
        Target = Input.Take.Target(Usable);
        if (Usable == 0)
        {
            return;
        }

        _whole = Target / Usable;
        _rest = new Selection(DeterministicRandom.For(seed, $"mix/take/{Name}"), Target % Usable, Usable);
    }

    /// <summary>How many copies of the next usable record (of <paramref name="group"/>, in file order) the mix takes.</summary>
    internal long Copies(string group)
    {
        if (_caps.TryGetValue(group, out var cap) && !cap.Next())
        {
            return 0;
        }

        return _whole + (_rest!.Next() ? 1 : 0);
    }
}

/// <summary>
/// Selection sampling (Knuth's algorithm S): exactly <c>needed</c> of <c>remaining</c> items in one pass, each set of
/// that size equally likely, seeded.
/// </summary>
internal sealed class Selection(DeterministicRandom random, long needed, long remaining)
{
    private long _needed = needed;
    private long _remaining = remaining;

    public bool Next()
    {
        if (_remaining <= 0)
        {
            return false;
        }

        bool take = _needed > 0 && random.NextDouble() * _remaining < _needed;
        _remaining--;
        if (take)
        {
            _needed--;
        }

        return take;
    }
}
