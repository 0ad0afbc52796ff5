using System.Globalization;
using MiniExcelLibs;
using VisInstruct.Evaluation.Answering;
using VisInstruct.Evaluation.Scoring;
using VisInstruct.Json;

namespace VisInstruct.Evaluation.Submission;

/// <summary>
/// The files the benchmarks' evaluation servers take for their test splits (no ground truth is public), written as
/// LLaVA's converters write them: VQAv2's and VizWiz's JSON (answers through EvalAI's processor), MMBench's xlsx (the
/// question rows with a <c>prediction</c> column). Each returns the questions that had no answer.
/// </summary>
public static class Submissions
{
    /// <summary>
    /// VQAv2 (<c>convert_vqav2_for_submission.py</c>): <c>[{"question_id", "answer"}]</c> for every question of the test
    /// split's question file, an unanswered one with an empty answer.
    /// </summary>
    public static int VqaV2(IReadOnlyList<ModelAnswer> answers, string questionsFile, string output)
    {
        var byId = ById(answers);
        var questions = QuestionFile.Read(questionsFile, new QuestionOptions { Blind = true });
        int missing = 0;
        Write(output, writer =>
        {
            writer.WriteStartArray();
            foreach (var question in questions)
            {
                missing += byId.ContainsKey(question.Id) ? 0 : 1;
                writer.WriteStartObject();
                writer.WritePropertyName("question_id");
                WriteId(writer, question.Id, question.IdIsNumber);
                writer.WriteString("answer", byId.TryGetValue(question.Id, out var a) ? VqaNormalizer.EvalAi(a.Text) : "");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
        return missing;
    }

    /// <summary>
    /// VizWiz (<c>convert_vizwiz_for_submission.py</c>): <c>[{"image", "answer"}]</c>; every question must have an
    /// answer (the server wants them all), so a missing one is an error naming it.
    /// </summary>
    public static int VizWiz(IReadOnlyList<ModelAnswer> answers, string questionsFile, string output)
    {
        var byId = ById(answers);
        var records = new List<(string Image, string Answer)>();
        foreach (var (record, context) in JsonInput.Records(questionsFile))
        {
            string id = AnswerFile.QuestionId(record, context).Id;
            string image = AnswerFile.RequiredString(record, "image", context);
            records.Add(byId.TryGetValue(id, out var a) ? (image, VqaNormalizer.EvalAi(a.Text))
                : throw context.Error("question_id", $"question {id} has no answer; VizWiz's server needs every one"));
        }

        Write(output, writer =>
        {
            writer.WriteStartArray();
            foreach (var (image, answer) in records)
            {
                writer.WriteStartObject();
                writer.WriteString("image", image);
                writer.WriteString("answer", answer);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
        return 0;
    }

    /// <summary>
    /// MMBench (<c>convert_mmbench_for_submission.py</c>): the TSV's rows without the image, hint and category columns,
    /// with the round-0 answer's text as <c>prediction</c>, as an xlsx sheet.
    /// </summary>
    public static int MmBench(IReadOnlyList<ModelAnswer> answers, string tsv, string output)
    {
        var byId = answers.Where(a => (a.RoundId ?? 0) == 0).GroupBy(a => a.QuestionId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var rows = MmBenchFile.Read(tsv);
        int missing = 0;
        var sheet = rows.Select(row =>
        {
            string id = row.Index.ToString(CultureInfo.InvariantCulture);
            missing += byId.ContainsKey(id) ? 0 : 1;
            var line = new Dictionary<string, object?>
            {
                ["index"] = row.Index,
                ["question"] = row.Question,
            };
            string[] letters = ["A", "B", "C", "D"];
            for (int i = 0; i < letters.Length; i++)
            {
                line[letters[i]] = i < row.Options.Count ? row.Options[i] : null;
            }

            line["answer"] = row.Answer;
            line["prediction"] = byId.TryGetValue(id, out var a) ? a.Text : null;
            return line;
        }).ToList();
        string temp = output + ".tmp.xlsx";
        MiniExcel.SaveAs(temp, sheet, overwriteFile: true);
        File.Move(temp, output, overwrite: true);
        return missing;
    }

    private static Dictionary<string, ModelAnswer> ById(IReadOnlyList<ModelAnswer> answers)
    {
        var byId = new Dictionary<string, ModelAnswer>(StringComparer.Ordinal);
        foreach (var answer in answers)
        {
            byId[answer.QuestionId] = answer;
        }

        return byId;
    }

    private static void WriteId(PythonJsonWriter writer, string id, bool number)
    {
        if (number && long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n))
        {
            writer.WriteNumberValue(n);
        }
        else
        {
            writer.WriteStringValue(id);
        }
    }

    private static void Write(string output, Action<PythonJsonWriter> write)
    {
        string temp = output + ".tmp";
        using (var stream = File.Create(temp))
        using (var writer = new PythonJsonWriter(stream, JsonStyle.Compact))
        {
            write(writer);
        }

        File.Move(temp, output, overwrite: true);
    }
}
