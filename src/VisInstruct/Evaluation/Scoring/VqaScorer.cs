using System.Globalization;
using System.Text;
using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Evaluation.Scoring;

/// <summary>How a VQA answer is normalised before it is compared with the human answers.</summary>
public enum VqaRule
{
    /// <summary>The official VQA evaluation (VQAv2, VizWiz).</summary>
    Official,

    /// <summary>EvalAI's processor, as LLaVA's TextVQA scorer uses it.</summary>
    EvalAi,
}

/// <summary>
/// VQA-style accuracy (VQAv2, TextVQA, VizWiz) from an annotation file with ten human answers per question, in any of
/// three layouts: VQAv2's (<c>{"annotations": [{"question_id", "answers": [{"answer"}], "answer_type",
/// "question_type"}]}</c>), TextVQA's (<c>{"data": [{"question_id", "image_id", "question", "answers": ["..."]}]}</c>) or
/// VizWiz's (<c>[{"image", "question", "answers": [{"answer"}], "answer_type"}]</c>, joined by image).
/// </summary>
public static class VqaScorer
{
    private sealed record Truth(IReadOnlyList<string> Answers, string? AnswerType, string? QuestionType);

    public static VqaScore Score(IReadOnlyList<ModelAnswer> answers, string annotationFile, VqaRule rule, string benchmark = "vqa")
    {
        ArgumentNullException.ThrowIfNull(answers);
        using var document = JsonInput.Document(annotationFile);
        var root = document.RootElement;
        var byId = new Dictionary<string, Truth>(StringComparer.Ordinal);
        var byImageQuestion = new Dictionary<(string, string), Truth>();
        var all = new List<Truth>();
        var records = root.ValueKind == JsonValueKind.Array ? root
            : root.TryGetProperty("annotations", out var a) ? a
            : root.TryGetProperty("data", out var d) ? d
            : throw new InputFormatException(annotationFile, "expected VQAv2 annotations, TextVQA data or a VizWiz list");
        int index = 0;
        foreach (var record in records.EnumerateArray())
        {
            string where = string.Create(CultureInfo.InvariantCulture, $"{annotationFile}, record {index++}");
            var humans = JsonInput.Required(record, "answers", where).EnumerateArray()
                .Select(h => h.ValueKind == JsonValueKind.String ? h.GetString()!
                    : JsonInput.Required(h, "answer", where).GetString() ?? "")
                .ToList();
            var truth = new Truth(humans, Text(record, "answer_type"), Text(record, "question_type"));
            all.Add(truth);
            if (record.TryGetProperty("question_id", out var id))
            {
                byId[JsonInput.Id(id)] = truth;
            }

            if (record.TryGetProperty("image", out var image))
            {
                byId.TryAdd(image.GetString() ?? "", truth);
            }

            if (record.TryGetProperty("image_id", out var imageId) && Text(record, "question") is { } question)
            {
                byImageQuestion[(JsonInput.Id(imageId), question.ToLowerInvariant())] = truth;
            }
        }

        var score = new VqaScore(benchmark, rule);
        var joined = new HashSet<Truth>(ReferenceEqualityComparer.Instance);
        foreach (var answer in answers)
        {
            // LLaVA's TextVQA file uses the image id as question_id and joins on it with the question read from the prompt.
            if (!byImageQuestion.TryGetValue((answer.QuestionId, PromptQuestion(answer.Prompt)), out var truth)
                && !byId.TryGetValue(answer.QuestionId, out truth))
            {
                score.Unjoined.Add(string.Create(CultureInfo.InvariantCulture,
                    $"line {answer.Line}: question_id \"{answer.QuestionId}\" is not in {annotationFile}"));
                continue;
            }

            joined.Add(truth);
            double value = rule == VqaRule.Official ? VqaAccuracy.Official(answer.Text, truth.Answers)
                : VqaAccuracy.EvalAi(answer.Text, truth.Answers);
            score.Add(value, truth.AnswerType, truth.QuestionType);
        }

        score.Unanswered = all.Count(t => !joined.Contains(t));
        return score;
    }

    /// <summary>The question in a TextVQA prompt, as LLaVA's <c>prompt_processor</c> finds it (lower-cased).</summary>
    public static string PromptQuestion(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var lines = prompt.Split('\n');
        if (prompt.StartsWith("OCR tokens: ", StringComparison.Ordinal))
        {
            int start = prompt.IndexOf("Question: ", StringComparison.Ordinal);
            int end = start < 0 ? -1 : prompt.IndexOf(" Short answer:", start, StringComparison.Ordinal);
            return start >= 0 && end > start ? prompt[(start + 10)..end].ToLowerInvariant() : prompt.ToLowerInvariant();
        }

        if (prompt.Contains("Reference OCR token: ", StringComparison.Ordinal) && lines.Length == 3)
        {
            return (prompt.StartsWith("Reference OCR token:", StringComparison.Ordinal) ? lines[1] : lines[0]).ToLowerInvariant();
        }

        return (lines.Length == 2 ? lines[0] : prompt).ToLowerInvariant();
    }

    private static string? Text(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>VQA accuracy overall, per answer type and per question type (as percentages).</summary>
public sealed class VqaScore(string benchmark, VqaRule rule) : BenchmarkScore
{
    private readonly SortedDictionary<string, (double Sum, int Count)> _answerTypes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (double Sum, int Count)> _questionTypes = new(StringComparer.Ordinal);
    private double _sum;

    public override string Benchmark => benchmark;

    public override string Rule => rule == VqaRule.Official
        ? "official VQA evaluation: punctuation and digit/article normalisation when humans disagree; min(#agreeing/3, 1) over "
            + "the ten leave-one-out subsets"
        : "EvalAI answer processor (LLaVA m4c_evaluator) on every answer; min(#agreeing/3, 1) over the ten leave-one-out subsets";

    public int Count { get; private set; }

    public double Accuracy => Count == 0 ? 0 : _sum / Count;

    public override IReadOnlyList<(string Name, double Value)> Headline => [("accuracy", Accuracy * 100)];

    internal void Add(double value, string? answerType, string? questionType)
    {
        _sum += value;
        Count++;
        foreach (var (table, key) in new[] { (_answerTypes, answerType), (_questionTypes, questionType) })
        {
            if (key is not null)
            {
                var old = table.GetValueOrDefault(key);
                table[key] = (old.Sum + value, old.Count + 1);
            }
        }
    }

    public override void WriteFigures(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("overall", Accuracy * 100);
        writer.WriteNumber("count", Count);
        foreach (var (name, table) in new[] { ("per_answer_type", _answerTypes), ("per_question_type", _questionTypes) })
        {
            writer.WriteStartObject(name);
            foreach (var (key, (sum, count)) in table)
            {
                writer.WriteNumber(key, sum / count * 100);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    public override string Markdown()
    {
        var sb = new StringBuilder($"## {Benchmark}\n\n| answer type | questions | accuracy |\n|---|---:|---:|\n");
        sb.Append(CultureInfo.InvariantCulture, $"| **all** | {Count} | {Percent(Accuracy)} |\n");
        foreach (var (key, (sum, count)) in _answerTypes)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {key} | {count} | {Percent(sum / count)} |\n");
        }

        return sb.ToString();
    }
}
