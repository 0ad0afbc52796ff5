using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using VisInstruct.Evaluation.Scoring;

namespace VisInstruct.Evaluation.Abilities;

/// <summary>
/// Scores answers to the per-ability benchmark (<see cref="AbilityBenchmark"/>): a yes/no answer by its first word, a
/// count by the first number it states (digits or a number word), a choice by its option letter (MMBench's rules); the
/// share of correct answers per ability, as StableLLaVA's figure shows them, and overall.
/// </summary>
public static partial class AbilityScorer
{
    private static readonly string[] NumberWords =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

    /// <summary>Whether <paramref name="text"/> gives <paramref name="answer"/>, read by the question's kind.</summary>
    public static bool Correct(string text, string kind, string answer, IReadOnlyList<string> options)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToList();
        return kind switch
        {
            "yes_no" => words.Count > 0 && words[0] == answer,
            "number" => words.Select(w => int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n
                : Array.IndexOf(NumberWords, w) is >= 0 and var i ? i : (int?)null).FirstOrDefault(n => n is not null)
                ?.ToString(CultureInfo.InvariantCulture) == answer,
            _ => MmBenchScorer.Extract(text, options) == answer,
        };
    }

    public static AbilityScore Score(IReadOnlyList<ModelAnswer> answers, string benchmarkDirectory)
    {
        ArgumentNullException.ThrowIfNull(answers);
        string truthFile = Path.Combine(benchmarkDirectory, AbilityBenchmark.TruthFile);
        var truth = new Dictionary<string, (string Ability, string Kind, string Answer, List<string> Options)>(StringComparer.Ordinal);
        foreach (var (record, context) in JsonInput.Records(truthFile))
        {
            var options = record.TryGetProperty("options", out var o) && o.ValueKind == JsonValueKind.Array
                ? o.EnumerateArray().Select(e => e.GetString() ?? "").ToList() : [];
            truth[AnswerFile.RequiredString(record, "question_id", context)] = (AnswerFile.RequiredString(record, "ability", context),
                AnswerFile.RequiredString(record, "kind", context), AnswerFile.RequiredString(record, "answer", context), options);
        }

        var score = new AbilityScore();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var answer in answers)
        {
            if (!truth.TryGetValue(answer.QuestionId, out var t))
            {
                score.Unjoined.Add(string.Create(CultureInfo.InvariantCulture,
                    $"line {answer.Line}: question_id \"{answer.QuestionId}\" is not in {truthFile}"));
                continue;
            }

            seen.Add(answer.QuestionId);
            score.Add(t.Ability, Correct(answer.Text, t.Kind, t.Answer, t.Options));
        }

        foreach (var (id, t) in truth.Where(p => !seen.Contains(p.Key)))
        {
            // An unanswered question counts wrong: the share is of the benchmark, not of what was answered.
            score.Add(t.Ability, false);
            score.Unanswered++;
        }

        return score;
    }

    [GeneratedRegex("[a-z0-9]+")]
    private static partial Regex Word();
}

/// <summary>The share of correct answers per ability, and overall.</summary>
public sealed class AbilityScore : BenchmarkScore
{
    private readonly Tally _abilities = new();

    public override string Benchmark => "ability";

    public override string Rule => "StableLLaVA's per-ability share of correct answers: yes/no by the first word, counts by the "
        + "first number, choices by the option letter";

    public IReadOnlyDictionary<string, (int Right, int Count)> Abilities => _abilities.Counts;

    public double Overall => _abilities.Share;

    public override IReadOnlyList<(string Name, double Value)> Headline => [("overall", Overall * 100)];

    public override IReadOnlyList<(string Label, double Value)> ChartBars =>
        [.. _abilities.Counts.Select(a => (a.Key, _abilities.ShareOf(a.Key) * 100))];

    public override bool Radar => true;

    internal void Add(string ability, bool right) => _abilities.Add(ability, right);

    public override void WriteFigures(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("overall", Overall * 100);
        writer.WriteStartObject("abilities");
        foreach (var (ability, (right, count)) in _abilities.Counts)
        {
            writer.WriteStartObject(ability);
            writer.WriteNumber("accuracy", (double)right / count * 100);
            writer.WriteNumber("correct", right);
            writer.WriteNumber("count", count);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public override string Markdown()
    {
        var sb = new StringBuilder("## Abilities (StableLLaVA benchmark)\n\n| ability | questions | correct |\n|---|---:|---:|\n");
        foreach (var (ability, (right, count)) in _abilities.Counts)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {ability} | {count} | {Percent((double)right / count)} |\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"| **all** | {_abilities.Count} | {Percent(Overall)} |\n");
        return sb.ToString();
    }
}
