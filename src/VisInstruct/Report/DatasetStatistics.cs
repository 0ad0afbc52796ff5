using VisInstruct.Backends.Llm;
using VisInstruct.Datasets;
using VisInstruct.Formats;

namespace VisInstruct.Report;

/// <summary>
/// The figures of one streaming pass over a dataset: samples, images and turns; counts per group (ability, task or
/// image source) and dialogue kind; histograms of turns per sample and of question and answer length in words and
/// in tokens (o200k_base, an estimate for other tokenizers); the top question openings; box heat maps.
/// </summary>
public sealed class DatasetStatistics
{
    private readonly SortedDictionary<string, long> _groups = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _kinds = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SortedDictionary<string, long>> _kindsByGroup = new(StringComparer.Ordinal);

    public long Samples { get; private set; }

    public long Images { get; private set; }

    public long Questions { get; private set; }

    public long Answers { get; private set; }

    public IReadOnlyDictionary<string, long> Groups => _groups;

    public IReadOnlyDictionary<string, long> Kinds => _kinds;

    public IReadOnlyDictionary<string, SortedDictionary<string, long>> KindsByGroup => _kindsByGroup;

    public Histogram Turns { get; } = new("Rounds per sample", "question-answer rounds", 1, 21);

    public Histogram QuestionWords { get; } = new("Question length", "words", 2, 41);

    public Histogram AnswerWords { get; } = new("Answer length", "words", 10, 41);

    public Histogram QuestionTokens { get; } = new("Question length", "tokens (o200k_base)", 2, 41);

    public Histogram AnswerTokens { get; } = new("Answer length", "tokens (o200k_base)", 10, 41);

    public OpeningTally Openings { get; } = new();

    public BoxGrid Boxes { get; } = new();

    /// <summary>Counts one sample.</summary>
    public void Add(DatasetSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        Samples++;
        Images += sample.ImagePaths.Count;
        Increment(_groups, sample.Group);
        string kind = sample.Kind.Name();
        Increment(_kinds, kind);
        if (!_kindsByGroup.TryGetValue(sample.Group, out var byKind))
        {
            _kindsByGroup[sample.Group] = byKind = new SortedDictionary<string, long>(StringComparer.Ordinal);
        }

        Increment(byKind, kind);
        int rounds = 0;
        foreach (var turn in sample.Sample.Conversations)
        {
            string text = turn.Value.Replace("<image>", "", StringComparison.Ordinal).Trim();
            bool human = turn.From == LlavaTurn.Human;
            long words = Words(text);
            long tokens = LocalTokenCounter.Count(text);
            if (human)
            {
                rounds++;
                Questions++;
                QuestionWords.Add(words);
                QuestionTokens.Add(tokens);
                Openings.Add(text);
            }
            else
            {
                Answers++;
                AnswerWords.Add(words);
                AnswerTokens.Add(tokens);
            }
        }

        Turns.Add(rounds);
        Boxes.AddSample(sample.Sample.Conversations.Select(t => t.Value));
    }

    /// <summary>Counts one image of a render folder (no dialogue).</summary>
    public void AddImage(string group)
    {
        Samples++;
        Images++;
        Increment(_groups, group);
        Increment(_kinds, "image only");
    }

    public static long Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        long words = 0;
        bool inWord = false;
        foreach (char c in text)
        {
            bool space = char.IsWhiteSpace(c);
            if (!space && !inWord)
            {
                words++;
            }

            inWord = !space;
        }

        return words;
    }

    private static void Increment(SortedDictionary<string, long> counts, string key) =>
        counts[key] = counts.TryGetValue(key, out long n) ? n + 1 : 1;
}
