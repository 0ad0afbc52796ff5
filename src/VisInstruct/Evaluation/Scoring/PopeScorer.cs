using System.Globalization;
using System.Text;
using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Evaluation.Scoring;

/// <summary>One POPE split's confusion counts and figures (yes is the positive class).</summary>
public sealed record PopeSplit(string Name, int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    public int Count => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    public double Accuracy => Share(TruePositives + TrueNegatives, Count);

    public double Precision => Share(TruePositives, TruePositives + FalsePositives);

    public double Recall => Share(TruePositives, TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 || double.IsNaN(Precision) || double.IsNaN(Recall)
        ? double.NaN : 2 * Precision * Recall / (Precision + Recall);

    public double YesRatio => Share(TruePositives + FalsePositives, Count);

    private static double Share(int part, int whole) => whole == 0 ? double.NaN : (double)part / whole;
}

/// <summary>
/// POPE, scored as LLaVA's <c>eval_pope.py</c>: the answer cut at its first period, commas removed, split on spaces;
/// it is "no" when a word is exactly <c>No</c>, <c>no</c> or <c>not</c>, otherwise "yes" (so <c>NO</c>, <c>Nope</c>
/// and <c>No</c> followed by a newline read as yes). Per split (random, popular, adversarial): accuracy, precision,
/// recall, F1 and the share of yes answers. Labels come from <c>coco_pope_&lt;split&gt;.json</c>; each answer is
/// joined to its label by question (image and question text), which is what the positional pairing of
/// <c>eval_pope.py</c> gives when the answers keep the label file's order.
/// </summary>
public static class PopeScorer
{
    private const string ShortAnswer = "Answer the question using a single word or phrase.";

    /// <summary>yes or no, by LLaVA's rule.</summary>
    public static string Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int period = text.IndexOf('.', StringComparison.Ordinal);
        string first = period >= 0 ? text[..period] : text;
        var words = first.Replace(",", "", StringComparison.Ordinal).Split(' ');
        return words.Any(w => w is "No" or "not" or "no") ? "no" : "yes";
    }

    /// <summary>
    /// Scores answers against the <c>coco_pope_*.json</c> label files in <paramref name="labelsDirectory"/>, with the
    /// LLaVA question file (<paramref name="questionsFile"/>: <c>question_id</c>, <c>image</c>, <c>text</c>,
    /// <c>category</c>) naming each answer's split.
    /// </summary>
    public static PopeScore Score(IReadOnlyList<ModelAnswer> answers, string questionsFile, string labelsDirectory)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var questions = new Dictionary<string, (string Split, (string, string) Key)>(StringComparer.Ordinal);
        foreach (var (record, context) in JsonInput.Records(questionsFile))
        {
            string id = AnswerFile.QuestionId(record, context).Id;
            string split = AnswerFile.OptionalString(record, "category", context)
                ?? throw context.Error("", "no category (POPE's split: random, popular or adversarial)");
            questions[id] = (split, Key(AnswerFile.RequiredString(record, "image", context),
                AnswerFile.RequiredString(record, "text", context)));
        }

        var files = Directory.Exists(labelsDirectory)
            ? Directory.GetFiles(labelsDirectory, "coco_pope_*.json").Order(StringComparer.Ordinal).ToList()
            : throw new InputFormatException(labelsDirectory, "no such folder (expected POPE's coco_pope_<split>.json files)");
        if (files.Count == 0)
        {
            throw new InputFormatException(labelsDirectory, "no coco_pope_<split>.json label files here");
        }

        var score = new PopeScore();
        foreach (string file in files)
        {
            string split = Path.GetFileNameWithoutExtension(file)["coco_pope_".Length..];
            var labels = Labels(file);
            var mine = answers.Where(a => questions.TryGetValue(a.QuestionId, out var q) && q.Split == split).ToList();
            score.Splits.Add(Split(split, mine, a => labels.TryGetValue(questions[a.QuestionId].Key, out var l) ? l : null, score));
            score.Unanswered += Math.Max(0, labels.Count - mine.Count);
        }

        foreach (var answer in answers.Where(a => !questions.ContainsKey(a.QuestionId)))
        {
            score.Unjoined.Add(string.Create(CultureInfo.InvariantCulture,
                $"line {answer.Line}: question_id \"{answer.QuestionId}\" is not in {questionsFile}"));
        }

        return score;
    }

    /// <summary>Scores answers against one label file, joined by <c>question_id</c> (POPE's own question files).</summary>
    public static PopeScore Score(IReadOnlyList<ModelAnswer> answers, string labelFile)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (record, context) in JsonInput.Records(labelFile))
        {
            labels[AnswerFile.QuestionId(record, context).Id] = Label(record, context);
        }

        string split = Path.GetFileNameWithoutExtension(labelFile).Replace("coco_pope_", "", StringComparison.Ordinal);
        var score = new PopeScore();
        score.Splits.Add(Split(split, answers, a => labels.GetValueOrDefault(a.QuestionId), score));
        score.Unanswered = Math.Max(0, labels.Count - answers.Count(a => labels.ContainsKey(a.QuestionId)));
        return score;
    }

    private static PopeSplit Split(string name, IReadOnlyList<ModelAnswer> answers, Func<ModelAnswer, string?> label, PopeScore score)
    {
        int tp = 0, fp = 0, tn = 0, fn = 0;
        foreach (var answer in answers)
        {
            if (label(answer) is not { } truth)
            {
                score.Unjoined.Add(string.Create(CultureInfo.InvariantCulture,
                    $"line {answer.Line}: question_id \"{answer.QuestionId}\" has no label in the {name} split"));
                continue;
            }

            bool yes = Parse(answer.Text) == "yes";
            bool positive = truth != "no";
            (tp, fp, tn, fn) = (yes, positive) switch
            {
                (true, true) => (tp + 1, fp, tn, fn),
                (true, false) => (tp, fp + 1, tn, fn),
                (false, false) => (tp, fp, tn + 1, fn),
                _ => (tp, fp, tn, fn + 1),
            };
        }

        var split = new PopeSplit(name, tp, fp, tn, fn);
        if (double.IsNaN(split.Precision) || double.IsNaN(split.Recall))
        {
            score.Notes.Add($"{name}: precision or recall has no denominator (eval_pope.py would stop with ZeroDivisionError); "
                + "written as null");
        }

        return split;
    }

    private static Dictionary<(string, string), string> Labels(string file)
    {
        var labels = new Dictionary<(string, string), string>();
        foreach (var (record, context) in JsonInput.Records(file))
        {
            labels[Key(AnswerFile.RequiredString(record, "image", context), AnswerFile.RequiredString(record, "text", context))] =
                Label(record, context);
        }

        return labels;
    }

    private static string Label(JsonElement record, RecordContext context)
    {
        string label = AnswerFile.RequiredString(record, "label", context);
        return label is "yes" or "no" ? label : throw context.Error("label", $"expected yes or no, found '{label}'");
    }

    /// <summary>A question's join key: its image and its question without LLaVA's short-answer instruction.</summary>
    private static (string, string) Key(string image, string text) =>
        (image, text.Replace(ShortAnswer, "", StringComparison.Ordinal).Trim());
}

/// <summary>POPE's figures per split.</summary>
public sealed class PopeScore : BenchmarkScore
{
    public override string Benchmark => "pope";

    public override string Rule => "LLaVA eval_pope.py: first sentence, commas removed; 'No', 'no' or 'not' as a word is no, "
        + "anything else yes";

    public List<PopeSplit> Splits { get; } = [];

    public override IReadOnlyList<(string Name, double Value)> Headline =>
        [.. Splits.Select(s => ($"{s.Name} F1", s.F1 * 100)), ("mean F1", Splits.Average(s => s.F1) * 100)];

    public override void WriteFigures(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        foreach (var split in Splits)
        {
            writer.WriteStartObject(split.Name);
            writer.WriteNumber("tp", split.TruePositives);
            writer.WriteNumber("fp", split.FalsePositives);
            writer.WriteNumber("tn", split.TrueNegatives);
            writer.WriteNumber("fn", split.FalseNegatives);
            foreach (var (name, value) in new[] { ("accuracy", split.Accuracy), ("precision", split.Precision), ("recall", split.Recall),
                ("f1", split.F1), ("yes_ratio", split.YesRatio) })
            {
                if (double.IsNaN(value))
                {
                    writer.WriteNull(name);
                }
                else
                {
                    writer.WriteNumber(name, value);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    public override string Markdown()
    {
        var sb = new StringBuilder("## POPE\n\n| split | questions | accuracy | precision | recall | F1 | yes ratio |\n");
        sb.Append("|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var s in Splits)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {s.Name} | {s.Count} | {Percent(s.Accuracy)} | {Percent(s.Precision)} | ")
                .Append(CultureInfo.InvariantCulture, $"{Percent(s.Recall)} | {Percent(s.F1)} | {Percent(s.YesRatio)} |\n");
        }

        return sb.ToString();
    }
}
