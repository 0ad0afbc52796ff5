using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VisInstruct.Evaluation.Scoring;

/// <summary>
/// MMBench with circular evaluation: every rotation of a question's options (MMBench's rows whose index differs by a
/// multiple of 1,000,000, and the rounds of LLaVA's <c>--all-rounds</c>) must be answered right for the question to count.
/// The option is read from the answer by rule, without a judge model: a leading letter (<c>B</c>, <c>B.</c>,
/// <c>(B)</c>, <c>B)</c>, <c>B:</c>; a leading <c>B</c> followed by a space only when no other option letter stands
/// alone), else the one option letter standing alone in the text, else the one option whose text the answer contains.
/// Answers no rule reads count wrong and are counted (MMBench's own tool asks ChatGPT there).
/// </summary>
public static partial class MmBenchScorer
{
    private static readonly string[] Letters = ["A", "B", "C", "D"];

    /// <summary>The option letter an answer gives, or null when no rule reads one.</summary>
    public static string? Extract(string text, IReadOnlyList<string> options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        var allowed = Enumerable.Range(0, Math.Min(options.Count, 26)).Select(i => ((char)('A' + i)).ToString()).ToList();
        string trimmed = text.Trim();
        var alone = Standalone().Matches(trimmed).Select(m => m.Value).Where(allowed.Contains).Distinct().ToList();
        if (Leading().Match(trimmed) is { Success: true } leading && allowed.Contains(leading.Groups[1].Value)
            && (leading.Groups[2].Value.Trim().Length > 0 || alone.Count == 1))
        {
            // "B." or "(B)" decides; "B " followed by text decides only when no other option letter stands alone.
            return leading.Groups[1].Value;
        }

        if (alone.Count == 1)
        {
            return alone[0];
        }

        if (alone.Count == 0)
        {
            var named = options.Select((o, i) => (o, i))
                .Where(p => p.o.Length > 0 && trimmed.Contains(p.o, StringComparison.OrdinalIgnoreCase)).ToList();
            if (named.Count == 1)
            {
                return allowed[named[0].i];
            }
        }

        return null;
    }

    public static MmBenchScore Score(IReadOnlyList<ModelAnswer> answers, IReadOnlyList<MmBenchQuestion> questions)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(questions);
        var byIndex = questions.ToDictionary(q => q.Index.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var score = new MmBenchScore();
        if (questions.All(q => q.Answer is null))
        {
            score.Notes.Add("the questions have no answers (a test split): nothing to score; write the submission file instead");
            return score;
        }

        var passes = new Dictionary<long, List<bool>>();
        foreach (var answer in answers)
        {
            if (!byIndex.TryGetValue(answer.QuestionId, out var question) || question.Answer is null)
            {
                score.Unjoined.Add(string.Create(CultureInfo.InvariantCulture,
                    $"line {answer.Line}: question_id \"{answer.QuestionId}\" is not an answered MMBench question"));
                continue;
            }

            // In LLaVA's rounds the option texts are rotated under fixed letters: round r shows the option that was
            // option_char[p] at place p. Read the letter against the options as shown, then map it back.
            var shown = Rotate(question.Options, answer.RoundId ?? 0);
            string? letter = Extract(answer.Text, shown);
            if (letter is not null && answer.RoundId is > 0)
            {
                int place = Array.IndexOf(Letters, letter);
                letter = answer.OptionChars is { } chars && place < chars.Count ? chars[place]
                    : Letters[(place + answer.RoundId.Value) % question.Options.Count];
            }

            score.Unread += letter is null ? 1 : 0;
            bool right = letter == question.Answer;
            if (!passes.TryGetValue(question.Circle, out var list))
            {
                passes[question.Circle] = list = [];
            }

            list.Add(right);
            if (question.Index == question.Circle && (answer.RoundId ?? 0) == 0)
            {
                score.AddSingle(right);
            }
        }

        var circles = questions.Where(q => q.Answer is not null).GroupBy(q => q.Circle).ToDictionary(g => g.Key, g => g.First());
        foreach (var (circle, question) in circles.OrderBy(c => c.Key))
        {
            bool right = passes.TryGetValue(circle, out var list) && list.Count > 0 && list.All(r => r);
            score.Add(question.Category ?? "", question.L2Category ?? "", right);
            score.Unanswered += list is null ? 1 : 0;
        }

        return score;
    }

    private static List<string> Rotate(IReadOnlyList<string> options, int round)
    {
        int n = options.Count;
        return n == 0 ? [] : [.. Enumerable.Range(0, n).Select(i => options[(i + round) % n])];
    }

    [GeneratedRegex(@"^\(?([A-Z])([.:)]|\s|$)")]
    private static partial Regex Leading();

    [GeneratedRegex(@"(?<![A-Za-z])[A-Z](?![A-Za-z])")]
    private static partial Regex Standalone();
}

/// <summary>MMBench's figures: circular accuracy overall, per category and per L2 category, and single-pass accuracy.</summary>
public sealed class MmBenchScore : BenchmarkScore
{
    private readonly Tally _categories = new();
    private readonly Tally _l2 = new();

    public override string Benchmark => "mmbench";

    public override string Rule => "circular evaluation (every rotation right); option read by rule: leading letter, the one "
        + "standalone letter, or the one option text named";

    public int Right => _categories.Right;

    public int Count => _categories.Count;

    public int SingleRight { get; private set; }

    public int SingleCount { get; private set; }

    /// <summary>Answers from which no option could be read.</summary>
    public int Unread { get; set; }

    public double Circular => Count == 0 ? 0 : (double)Right / Count;

    public double Single => SingleCount == 0 ? 0 : (double)SingleRight / SingleCount;

    public override IReadOnlyList<(string Name, double Value)> Headline => [("circular", Circular * 100), ("single pass", Single * 100)];

    internal void Add(string category, string l2, bool right)
    {
        _categories.Add(category, right);
        _l2.Add(l2, right);
    }

    internal void AddSingle(bool right)
    {
        SingleCount++;
        SingleRight += right ? 1 : 0;
    }

    public override void WriteFigures(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("circular", Circular * 100);
        writer.WriteNumber("questions", Count);
        writer.WriteNumber("single_pass", Single * 100);
        writer.WriteNumber("unread", Unread);
        _categories.WritePercents(writer, "per_category");
        _l2.WritePercents(writer, "per_l2_category");

        writer.WriteEndObject();
    }

    public override string Markdown()
    {
        var sb = new StringBuilder("## MMBench\n\n")
            .Append(CultureInfo.InvariantCulture, $"Circular accuracy {Percent(Circular)} over {Count} questions; single pass ")
            .Append(CultureInfo.InvariantCulture, $"{Percent(Single)}; {Unread} answers unread.\n\n")
            .Append("| L2 category | questions | circular |\n")
            .Append("|---|---:|---:|\n");
        foreach (var (key, (right, count)) in _l2.Counts)
        {
            string name = key.Length == 0 ? "unknown" : key;
            sb.Append(CultureInfo.InvariantCulture, $"| {name} | {count} | {Percent((double)right / count)} |\n");
        }

        return sb.ToString();
    }
}
