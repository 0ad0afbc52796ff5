using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using VisInstruct.Json;

namespace VisInstruct.Evaluation.Scoring;

/// <summary>
/// ScienceQA, scored as LLaVA's <c>eval_science_qa.py</c>: the option letter is the whole answer (<c>B</c>), or its
/// first character when followed by <c>". "</c> (<c>B. ocean</c>), or the one match of <c>The answer is X.</c>; anything
/// else, and a letter beyond the problem's choices, is wrong. Every problem of the split counts (an unanswered one is
/// wrong). IMG accuracy is over the answers whose prompt holds <c>&lt;image&gt;</c>, as LLaVA's script decides it.
/// </summary>
public static partial class ScienceQaScorer
{
    private static readonly string[] Letters = ["A", "B", "C", "D", "E"];

    /// <summary>The letter an answer gives, or <c>FAILED</c>, by LLaVA's rule.</summary>
    public static string Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Letters.Contains(text))
        {
            return text;
        }

        if (text.Length >= 3 && Letters.Contains(text[..1]) && text[1..3] == ". ")
        {
            return text[..1];
        }

        var matches = AnswerIs().Matches(text);
        return matches.Count == 1 ? matches[0].Groups[1].Value : "FAILED";
    }

    /// <summary>
    /// Scores against ScienceQA's <c>problems.json</c> and <c>pid_splits.json</c> in <paramref name="baseDirectory"/>,
    /// over <paramref name="split"/> (default test).
    /// </summary>
    public static ScienceQaScore Score(IReadOnlyList<ModelAnswer> answers, string baseDirectory, string split = "test")
    {
        ArgumentNullException.ThrowIfNull(answers);
        string problemsFile = Path.Combine(baseDirectory, "problems.json");
        string splitsFile = Path.Combine(baseDirectory, "pid_splits.json");
        using var problems = JsonInput.Document(problemsFile);
        using var splits = JsonInput.Document(splitsFile);
        if (!splits.RootElement.TryGetProperty(split, out var ids) || ids.ValueKind != JsonValueKind.Array)
        {
            throw new InputFormatException(splitsFile, $"no '{split}' list of problem ids", field: split);
        }

        var byId = new Dictionary<string, ModelAnswer>(StringComparer.Ordinal);
        foreach (var answer in answers)
        {
            byId[answer.QuestionId] = answer;
        }

        var score = new ScienceQaScore { Split = split };
        var inSplit = new HashSet<string>(StringComparer.Ordinal);
        foreach (var idElement in ids.EnumerateArray())
        {
            string id = JsonInput.Id(idElement);
            inSplit.Add(id);
            if (!problems.RootElement.TryGetProperty(id, out var problem))
            {
                throw new InputFormatException(problemsFile, $"problem {id} of the {split} split is not in problems.json", field: id);
            }

            int choices = JsonInput.Required(problem, "choices", $"{problemsFile}, problem {id}").GetArrayLength();
            var truthElement = JsonInput.Required(problem, "answer", $"{problemsFile}, problem {id}");
            int truth = truthElement.ValueKind == JsonValueKind.Number ? truthElement.GetInt32()
                : throw new InputFormatException(problemsFile, $"problem {id}: answer is not an option index", field: $"{id}.answer");
            byId.TryGetValue(id, out var given);
            string letter = given is null ? "FAILED" : Parse(given.Text);
            int index = Array.IndexOf(Letters, letter);
            bool right = index >= 0 && index < choices && index == truth;
            bool multimodal = given is not null && given.Prompt.Contains("<image>", StringComparison.Ordinal);
            score.Count++;
            score.Correct += right ? 1 : 0;
            score.ImageCount += multimodal ? 1 : 0;
            score.ImageCorrect += right && multimodal ? 1 : 0;
            score.Failed += letter == "FAILED" ? 1 : 0;
            if (given is null)
            {
                score.Unanswered++;
            }
        }

        foreach (var answer in answers.Where(a => !inSplit.Contains(a.QuestionId)))
        {
            score.Unjoined.Add(string.Create(CultureInfo.InvariantCulture,
                $"line {answer.Line}: question_id \"{answer.QuestionId}\" is not in the {split} split"));
        }

        if (score.Unanswered > 0)
        {
            score.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{score.Unanswered} problems of the split have no answer; as in LLaVA's script they count as wrong"));
        }

        return score;
    }

    [GeneratedRegex("The answer is ([A-Z]).")]
    private static partial Regex AnswerIs();
}

/// <summary>ScienceQA's figures: accuracy over the split, and over the problems with an image.</summary>
public sealed class ScienceQaScore : BenchmarkScore
{
    public override string Benchmark => "scienceqa";

    public override string Rule => "LLaVA eval_science_qa.py: the letter alone, 'X. ...', or one 'The answer is X.'; "
        + "IMG = prompts with <image>";

    public string Split { get; init; } = "test";

    public int Count { get; set; }

    public int Correct { get; set; }

    public int ImageCount { get; set; }

    public int ImageCorrect { get; set; }

    /// <summary>Answers no letter could be read from.</summary>
    public int Failed { get; set; }

    public double Accuracy => Count == 0 ? double.NaN : (double)Correct / Count;

    public double ImageAccuracy => ImageCount == 0 ? double.NaN : (double)ImageCorrect / ImageCount;

    public override IReadOnlyList<(string Name, double Value)> Headline =>
        [("accuracy", Accuracy * 100), ("IMG accuracy", ImageAccuracy * 100)];

    public override void WriteFigures(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("split", Split);
        writer.WriteNumber("count", Count);
        writer.WriteNumber("correct", Correct);
        writer.WriteNumber("acc", Accuracy * 100);
        writer.WriteNumber("img_count", ImageCount);
        writer.WriteNumber("img_correct", ImageCorrect);
        if (ImageCount > 0)
        {
            writer.WriteNumber("img_acc", ImageAccuracy * 100);
        }
        else
        {
            writer.WriteNull("img_acc");
        }

        writer.WriteNumber("failed", Failed);
        writer.WriteEndObject();
    }

    public override string Markdown() => new StringBuilder("## ScienceQA\n\n| split | problems | accuracy | with image | IMG accuracy |")
        .Append(" unreadable |\n|---|---:|---:|---:|---:|---:|\n")
        .Append(CultureInfo.InvariantCulture, $"| {Split} | {Count} | {Percent(Accuracy)} | {ImageCount} | {Percent(ImageAccuracy)} | ")
        .Append(CultureInfo.InvariantCulture, $"{Failed} |\n").ToString();
}
