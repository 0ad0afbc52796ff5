namespace VisInstruct.Report;

/// <summary>
/// The most frequent question openings (the first few words, lower-cased, punctuation dropped), in bounded memory:
/// when more than the capacity of distinct openings are held, the rarest half is forgotten (a frequent opening comes
/// back at once and keeps its place; the figures of openings counted after a prune are lower bounds, which the page
/// says when it happened).
/// </summary>
public sealed class OpeningTally
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly int _capacity;

    public OpeningTally(int words = 3, int capacity = 50_000)
    {
        Words = words;
        _capacity = capacity;
    }

    public int Words { get; }

    /// <summary>Whether rare openings were forgotten on the way (the counts shown may then be lower bounds).</summary>
    public bool Pruned { get; private set; }

    public long Questions { get; private set; }

    public void Add(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        string? opening = Opening(question, Words);
        if (opening is null)
        {
            return;
        }

        Questions++;
        _counts[opening] = _counts.GetValueOrDefault(opening) + 1;
        if (_counts.Count > _capacity)
        {
            Prune();
        }
    }

    /// <summary>The <paramref name="top"/> openings by count (ties by text).</summary>
    public IReadOnlyList<(string Opening, long Count)> Top(int top) => _counts
        .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(top)
        .Select(p => (p.Key, p.Value)).ToList();

    /// <summary>The first <paramref name="words"/> words of a question without the image token, or null when it has none.</summary>
    public static string? Opening(string question, int words)
    {
        ArgumentNullException.ThrowIfNull(question);
        var taken = new List<string>(words);
        foreach (string raw in question.Replace("<image>", " ", StringComparison.Ordinal)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            string word = new string(raw.Where(c => char.IsLetterOrDigit(c) || c == '\'' || c == '-').ToArray())
                .ToLowerInvariant();
            if (word.Length == 0)
            {
                continue;
            }

            taken.Add(word);
            if (taken.Count == words)
            {
                break;
            }
        }

        return taken.Count == 0 ? null : string.Join(' ', taken);
    }

    private void Prune()
    {
        Pruned = true;
        long median = _counts.Values.Order().ElementAt(_counts.Count / 2);
        foreach (var key in _counts.Where(p => p.Value <= median).Select(p => p.Key).ToList())
        {
            _counts.Remove(key);
        }
    }
}
