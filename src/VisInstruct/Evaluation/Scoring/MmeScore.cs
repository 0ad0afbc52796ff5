using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VisInstruct.Evaluation.Scoring;

/// <summary>One MME subtask's figures (acc and acc+ as shares, score out of 200), and its confusion counts.</summary>
public sealed record MmeSubtask(string Name, int Questions, int Images, double Acc, double AccPlus, double Score, int Other,
    int TruePositives, int FalseNegatives, int TrueNegatives, int FalsePositives)
{
    /// <summary>True when the answers had no question of this subtask (it is left out of the total).</summary>
    public bool Missing { get; init; }
}

/// <summary>MME's figures: Perception (10 subtasks, out of 2000) and Cognition (4, out of 800).</summary>
public sealed class MmeScore : BenchmarkScore
{
    public override string Benchmark => "mme";

    public override string Rule => "LLaVA convert_answer_to_mme.py + MME eval_tool calculation.py: yes/no from the first four "
        + "characters of the lower-cased answer, acc + acc+ per subtask";

    public List<MmeSubtask> Perception { get; } = [];

    public List<MmeSubtask> Cognition { get; } = [];

    /// <summary>The answers as joined, in the order read (what MME's <c>eval_tool/answers/&lt;exp&gt;/</c> files hold).</summary>
    public List<MmeScorer.Joined> Joined { get; } = [];

    public double PerceptionTotal => Perception.Where(s => !s.Missing).Sum(s => s.Score);

    public double CognitionTotal => Cognition.Where(s => !s.Missing).Sum(s => s.Score);

    public override IReadOnlyList<(string Name, double Value)> Headline =>
        [("Perception", PerceptionTotal), ("Cognition", CognitionTotal)];

    /// <summary>One bar per subtask: its score out of 200.</summary>
    public override IReadOnlyList<(string Label, double Value)> ChartBars =>
        [.. Perception.Concat(Cognition).Where(s => !s.Missing).Select(s => (s.Name, s.Score))];

    public override string ChartUnit => "score (of 200)";

    public override void WriteFigures(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        Group(writer, "perception", Perception);
        Group(writer, "cognition", Cognition);
        writer.WriteEndObject();
    }

    public override string Markdown()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"## MME\n\nPerception {Number(PerceptionTotal)} / 2000, ")
            .Append(CultureInfo.InvariantCulture, $"Cognition {Number(CognitionTotal)} / 800.\n\n")
            .Append("| group | subtask | questions | acc | acc+ | score | other |\n|---|---|---:|---:|---:|---:|---:|\n");
        foreach (var (group, subtasks) in new[] { ("Perception", Perception), ("Cognition", Cognition) })
        {
            foreach (var s in subtasks)
            {
                sb.Append(s.Missing
                    ? $"| {group} | {s.Name} | 0 | | | not scored | |\n"
                    : string.Create(CultureInfo.InvariantCulture,
                        $"| {group} | {s.Name} | {s.Questions} | {Percent(s.Acc)} | {Percent(s.AccPlus)} | {Number(s.Score)} "
                        + $"| {s.Other} |\n"));
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Writes MME's answer files (<c>&lt;category&gt;.txt</c>, lines <c>file\tprompt\tgt\tanswer</c>) into
    /// <paramref name="directory"/>, for anyone who wants to run MME's own <c>calculation.py</c> on them.
    /// </summary>
    public void WriteAnswerFiles(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        foreach (var category in Joined.GroupBy(j => j.Category, StringComparer.Ordinal))
        {
            string path = Path.Combine(directory, category.Key + ".txt");
            string temp = path + ".tmp";
            File.WriteAllText(temp, string.Concat(category.Select(j => $"{j.File}\t{j.Prompt}\t{j.Truth}\t{j.Prediction}\n")));
            File.Move(temp, path, overwrite: true);
        }
    }

    private static void Group(Utf8JsonWriter writer, string name, List<MmeSubtask> subtasks)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("total", subtasks.Where(s => !s.Missing).Sum(s => s.Score));
        writer.WriteStartObject("subtasks");
        foreach (var s in subtasks.Where(s => !s.Missing))
        {
            writer.WriteStartObject(s.Name);
            writer.WriteNumber("acc", s.Acc);
            writer.WriteNumber("acc_plus", s.AccPlus);
            writer.WriteNumber("score", s.Score);
            writer.WriteNumber("questions", s.Questions);
            writer.WriteNumber("images", s.Images);
            writer.WriteNumber("other", s.Other);
            writer.WriteNumber("tp", s.TruePositives);
            writer.WriteNumber("fn", s.FalseNegatives);
            writer.WriteNumber("tn", s.TrueNegatives);
            writer.WriteNumber("fp", s.FalsePositives);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartArray("missing");
        foreach (var s in subtasks.Where(s => s.Missing))
        {
            writer.WriteStringValue(s.Name);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
