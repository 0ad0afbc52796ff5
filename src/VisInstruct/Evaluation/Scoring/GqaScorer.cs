using System.Globalization;
using System.Text;
using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Evaluation.Scoring;

/// <summary>
/// GQA, as LLaVA's <c>convert_gqa_for_eval.py</c> and GQA's <c>eval.py</c> score it: the prediction with trailing
/// periods removed and lower-cased must equal the question's answer exactly; accuracy overall and per structural type
/// (verify, query, choose, logical, compare), from a questions file such as <c>testdev_balanced_questions.json</c>
/// (<c>{"&lt;id&gt;": {"answer", "types": {"structural"}}}</c>).
/// </summary>
public static class GqaScorer
{
    /// <summary>The prediction as LLaVA hands it to GQA's evaluator.</summary>
    public static string Prediction(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.TrimEnd('.').ToLowerInvariant();
    }

    public static GqaScore Score(IReadOnlyList<ModelAnswer> answers, string questionsFile)
    {
        ArgumentNullException.ThrowIfNull(answers);
        using var document = JsonInput.Document(questionsFile);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InputFormatException(questionsFile, "expected GQA's questions object ({\"<question id>\": {...}})");
        }

        var truth = new Dictionary<string, (string Answer, string Type)>(StringComparer.Ordinal);
        foreach (var question in document.RootElement.EnumerateObject())
        {
            string where = $"{questionsFile}, question {question.Name}";
            string answer = JsonInput.Required(question.Value, "answer", where).GetString() ?? "";
            string type = question.Value.TryGetProperty("types", out var types) && types.TryGetProperty("structural", out var s)
                ? s.GetString() ?? "" : "";
            truth[question.Name] = (answer, type);
        }

        var score = new GqaScore();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var answer in answers)
        {
            if (!truth.TryGetValue(answer.QuestionId, out var t))
            {
                score.Unjoined.Add(string.Create(CultureInfo.InvariantCulture,
                    $"line {answer.Line}: question_id \"{answer.QuestionId}\" is not in {questionsFile}"));
                continue;
            }

            seen.Add(answer.QuestionId);
            score.Add(t.Type, Prediction(answer.Text) == t.Answer);
        }

        score.Unanswered = truth.Count - seen.Count;
        if (score.Unanswered > 0)
        {
            score.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{score.Unanswered} questions have no answer and are not counted (GQA's eval.py counts every question of the file)"));
        }

        return score;
    }
}

/// <summary>GQA's exact-match accuracy, overall and per structural type.</summary>
public sealed class GqaScore : BenchmarkScore
{
    private readonly Tally _types = new();

    public override string Benchmark => "gqa";

    public override string Rule => "LLaVA convert_gqa_for_eval.py + GQA eval.py: trailing periods removed, lower case, exact match";

    public int Right => _types.Right;

    public int Count => _types.Count;

    public double Accuracy => Count == 0 ? 0 : (double)Right / Count;

    public override IReadOnlyList<(string Name, double Value)> Headline => [("accuracy", Accuracy * 100)];

    internal void Add(string type, bool right)
    {
        _types.Add(type, right);
    }

    public override void WriteFigures(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("accuracy", Accuracy * 100);
        writer.WriteNumber("correct", Right);
        writer.WriteNumber("count", Count);
        _types.WritePercents(writer, "per_structural_type");
        writer.WriteEndObject();
    }

    public override string Markdown()
    {
        var sb = new StringBuilder("## GQA\n\n| type | questions | accuracy |\n|---|---:|---:|\n");
        sb.Append(CultureInfo.InvariantCulture, $"| **all** | {Count} | {Percent(Accuracy)} |\n");
        foreach (var (type, (right, count)) in _types.Counts)
        {
            string name = type.Length == 0 ? "unknown" : type;
            sb.Append(CultureInfo.InvariantCulture, $"| {name} | {count} | {Percent((double)right / count)} |\n");
        }

        return sb.ToString();
    }
}
