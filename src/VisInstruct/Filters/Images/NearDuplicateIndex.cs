namespace VisInstruct.Filters.Images;

/// <summary>
/// Finds, for a perceptual hash, a stored hash within a Hamming distance, without comparing against every stored one:
/// the 64 bits are cut into distance + 1 blocks, and two hashes within the distance agree exactly on at least one
/// block (pigeonhole), so only hashes sharing a block value are compared in full (multi-index hashing).
/// </summary>
/// <typeparam name="T">What is stored with each hash (a sample id, an index).</typeparam>
public sealed class NearDuplicateIndex<T>
{
    private readonly int _distance;
    private readonly (int Shift, ulong Mask)[] _blocks;
    private readonly Dictionary<ulong, List<int>>[] _tables;
    private readonly List<(ulong Hash, T Value)> _entries = [];

    /// <param name="distance">The largest Hamming distance that counts as a near duplicate (0 to 31).</param>
    public NearDuplicateIndex(int distance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(distance);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(distance, 31);
        _distance = distance;
        int count = distance + 1;
        _blocks = new (int, ulong)[count];
        int start = 0;
        for (int i = 0; i < count; i++)
        {
            int width = (64 - start) / (count - i);
            _blocks[i] = (start, width == 64 ? ulong.MaxValue : (1UL << width) - 1);
            start += width;
        }

        _tables = [.. Enumerable.Range(0, count).Select(_ => new Dictionary<ulong, List<int>>())];
    }

    public int Count => _entries.Count;

    public int MaxDistance => _distance;

    public void Add(ulong hash, T value)
    {
        int index = _entries.Count;
        _entries.Add((hash, value));
        for (int b = 0; b < _blocks.Length; b++)
        {
            ulong key = (hash >> _blocks[b].Shift) & _blocks[b].Mask;
            if (!_tables[b].TryGetValue(key, out var list))
            {
                _tables[b][key] = list = [];
            }

            list.Add(index);
        }
    }

    /// <summary>
    /// The stored entry nearest to <paramref name="hash"/> within the distance (the earliest added among equally near
    /// ones), or false when there is none.
    /// </summary>
    public bool TryFindNearest(ulong hash, out T value, out int distance)
    {
        int best = -1;
        distance = int.MaxValue;
        for (int b = 0; b < _blocks.Length; b++)
        {
            ulong key = (hash >> _blocks[b].Shift) & _blocks[b].Mask;
            if (!_tables[b].TryGetValue(key, out var list))
            {
                continue;
            }

            foreach (int index in list)
            {
                int d = PerceptualHash.Distance(hash, _entries[index].Hash);
                if (d <= _distance && (d < distance || (d == distance && index < best)))
                {
                    best = index;
                    distance = d;
                }
            }
        }

        value = best >= 0 ? _entries[best].Value : default!;
        return best >= 0;
    }
}
