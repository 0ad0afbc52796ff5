using System.Text.Json;

namespace VisInstruct.Evaluation;

/// <summary>Right answers out of all, per key (a dimension, a category, an ability), in key order.</summary>
public sealed class Tally
{
    private readonly SortedDictionary<string, (int Right, int Count)> _counts = new(StringComparer.Ordinal);

    /// <summary>Each key's right answers and count.</summary>
    public IReadOnlyDictionary<string, (int Right, int Count)> Counts => _counts;

    public int Right => _counts.Values.Sum(v => v.Right);

    public int Count => _counts.Values.Sum(v => v.Count);

    /// <summary>The share right over every key (0 when there is nothing).</summary>
    public double Share => Count == 0 ? 0 : (double)Right / Count;

    public void Add(string key, bool right)
    {
        var old = _counts.GetValueOrDefault(key);
        _counts[key] = (old.Right + (right ? 1 : 0), old.Count + 1);
    }

    /// <summary>The share right of one key.</summary>
    public double ShareOf(string key) => _counts.TryGetValue(key, out var v) && v.Count > 0 ? (double)v.Right / v.Count : 0;

    /// <summary>Writes <c>"name": {"key": percent, ...}</c>.</summary>
    public void WritePercents(Utf8JsonWriter writer, string name, string empty = "unknown")
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject(name);
        foreach (var (key, _) in _counts)
        {
            writer.WriteNumber(key.Length == 0 ? empty : key, ShareOf(key) * 100);
        }

        writer.WriteEndObject();
    }
}
