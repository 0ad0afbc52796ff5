using System.Globalization;
using System.Text;

namespace VisInstruct.Evaluation.Scoring;

/// <summary>
/// MME, scored as LLaVA's <c>convert_answer_to_mme.py</c> and MME's <c>calculation.py</c> score it: each answer joined
/// to the ground truth by (category, image, question) after the prompt suffix is swapped for MME's; the prediction
/// lower-cased and read as yes or no from its first four characters (<c>yes</c> first, anything else "other",
/// which counts wrong); per subtask acc (right / questions), acc+ (images with both questions right / images) and
/// score = 100 acc + 100 acc+; Perception the sum of its 10 subtasks, Cognition of its 4.
/// </summary>
public static class MmeScorer
{
    public static readonly IReadOnlyList<string> Perception =
        ["existence", "count", "position", "color", "posters", "celebrity", "scene", "landmark", "artwork", "OCR"];

    public static readonly IReadOnlyList<string> Cognition =
        ["commonsense_reasoning", "numerical_calculation", "text_translation", "code_reasoning"];

    private const string ShortAnswer = "Answer the question using a single word or phrase.";
    private const string YesNo = "Please answer yes or no.";

    /// <summary>The answer joined to its ground truth, as MME's answer files hold it (<c>file\tprompt\tgt\tanswer</c>).</summary>
    public sealed record Joined(string Category, string File, string Prompt, string Truth, string Prediction);

    public static MmeScore Score(IReadOnlyList<ModelAnswer> answers, MmeGroundTruth truth)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(truth);
        var score = new MmeScore();
        var joined = Join(answers, truth, score);
        var byCategory = joined.GroupBy(j => j.Category, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(),
            StringComparer.Ordinal);
        var unknowns = byCategory.Keys.Where(c => !Perception.Contains(c) && !Cognition.Contains(c)).Order(StringComparer.Ordinal);
        foreach (string unknown in unknowns)
        {
            score.Notes.Add($"category '{unknown}' is none of MME's 14 subtasks: its {byCategory[unknown].Count} answers are not scored");
        }

        score.Perception.AddRange(Perception.Select(name => Subtask(name, byCategory.GetValueOrDefault(name), score)));
        score.Cognition.AddRange(Cognition.Select(name => Subtask(name, byCategory.GetValueOrDefault(name), score)));
        var answered = joined.Select(j => (j.Category, j.File, j.Prompt)).ToHashSet();
        score.Unanswered = truth.Keys.Count(k => !answered.Contains(k));
        if (score.Unanswered > 0)
        {
            score.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{score.Unanswered} ground-truth questions have no answer; as with MME's tool, they are not counted"));
        }

        score.Joined.AddRange(joined);
        return score;
    }

    /// <summary>yes, no or other, as <c>calculation.py</c> reads a lower-cased prediction.</summary>
    public static string ParsePrediction(string prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        string text = prediction.ToLowerInvariant();
        if (text is "yes" or "no")
        {
            return text;
        }

        string prefix = Prefix(text, 4);
        return prefix.Contains("yes", StringComparison.Ordinal) ? "yes" : prefix.Contains("no", StringComparison.Ordinal) ? "no" : "other";
    }

    /// <summary>The first <paramref name="count"/> code points, as Python's <c>text[:count]</c>.</summary>
    private static string Prefix(string text, int count)
    {
        var sb = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (count-- == 0)
            {
                break;
            }

            sb.Append(rune.ToString());
        }

        return sb.ToString();
    }

    private static List<Joined> Join(IReadOnlyList<ModelAnswer> answers, MmeGroundTruth truth, MmeScore score)
    {
        var joined = new List<Joined>(answers.Count);
        foreach (var answer in answers)
        {
            string category = answer.QuestionId.Split('/')[0];
            string file = MmeGroundTruth.FileKey(answer.QuestionId);
            string prompt = answer.Prompt;
            if (prompt.Contains(ShortAnswer, StringComparison.Ordinal))
            {
                prompt = prompt.Replace(ShortAnswer, "", StringComparison.Ordinal).Trim();
            }

            if (!prompt.Contains(YesNo, StringComparison.Ordinal))
            {
                prompt += " " + YesNo;
                if (!truth.TryGet(category, file, prompt, out _))
                {
                    // The release writes some questions with two spaces before the suffix; LLaVA's converter retries so.
                    prompt = prompt.Replace(" " + YesNo, "  " + YesNo, StringComparison.Ordinal);
                }
            }

            if (!truth.TryGet(category, file, prompt, out string gt))
            {
                score.Unjoined.Add(string.Create(CultureInfo.InvariantCulture,
                    $"line {answer.Line}: question_id \"{answer.QuestionId}\", question \"{prompt}\""));
                continue;
            }

            string text = answer.Text;
            int newline = text.IndexOf('\n', StringComparison.Ordinal);
            if (newline >= 0)
            {
                score.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"line {answer.Line}: the answer has several lines; scored on its first, as MME's tool would read it"));
                text = text[..newline];
            }

            joined.Add(new Joined(category, file, prompt, gt, text));
        }

        return joined;
    }

    private static MmeSubtask Subtask(string name, List<Joined>? items, MmeScore score)
    {
        if (items is null || items.Count == 0)
        {
            return new MmeSubtask(name, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) { Missing = true };
        }

        int right = 0, other = 0, tp = 0, fn = 0, tn = 0, fp = 0, imagesRight = 0;
        var images = items.GroupBy(i => i.File, StringComparer.Ordinal).ToList();
        foreach (var image in images)
        {
            int count = image.Count();
            if (count != 2)
            {
                score.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{name}/{image.Key}: {count} answers; MME has two questions per image (its tool would stop here)"));
            }

            bool all = true;
            foreach (var item in image)
            {
                string gt = item.Truth.ToLowerInvariant();
                string pred = ParsePrediction(item.Prediction);
                bool ok = gt == pred;
                right += ok ? 1 : 0;
                all &= ok;
                switch (pred, gt)
                {
                    case ("other", _): other++; break;
                    case ("yes", "yes"): tp++; break;
                    case ("no", "yes"): fn++; break;
                    case ("no", "no"): tn++; break;
                    default: fp++; break;
                }
            }

            imagesRight += all ? 1 : 0;
        }

        double acc = (double)right / items.Count;
        double accPlus = (double)imagesRight / images.Count;
        return new MmeSubtask(name, items.Count, images.Count, acc, accPlus, (acc * 100) + (accPlus * 100), other, tp, fn, tn, fp);
    }
}
