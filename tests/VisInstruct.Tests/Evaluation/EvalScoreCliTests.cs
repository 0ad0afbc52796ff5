using System.Text.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Evaluation;

public class EvalScoreCliTests
{
    private static string Mme(TempDir temp)
    {
        EvalFiles.Write(temp, "mme/color/0001.txt", "Is it red? Please answer yes or no.\tYes\nIs it blue? Please answer yes or no.\tNo\n");
        EvalFiles.Write(temp, "answers.jsonl", EvalFiles.Lines(
            new { question_id = "color/0001.png", prompt = "Is it red?\nAnswer the question using a single word or phrase.", text = "Yes",
                model_id = "ckpt-7b" },
            new { question_id = "color/0001.png", prompt = "Is it blue?\nAnswer the question using a single word or phrase.", text = "No",
                model_id = "ckpt-7b" },
            new { question_id = "color/0002.png", prompt = "Is it green?", text = "No", model_id = "ckpt-7b" }));
        return temp.File("answers.jsonl");
    }

    [Fact]
    public void ScoreMme_PrintsTheTable_WritesTheResultsFolder_AndWarnsOfUnjoinedAnswers()
    {
        using var temp = new TempDir();
        string answers = Mme(temp);
        var result = CliRunner.Run("eval", "score", "mme", "--answers", answers, "--ground-truth", temp.File("mme"),
            "--out", temp.File("results"), "--json", temp.File("mme.json"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("| Perception | color | 2 | 100.00 | 100.00 | 200.00 | 0 |", result.Out, StringComparison.Ordinal);
        Assert.Contains("1 answers have no ground truth", result.Error, StringComparison.Ordinal);
        Assert.Contains("line 3: question_id \"color/0002.png\"", result.Error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(temp.File("mme.json")));
        Assert.Equal("ckpt-7b", json.RootElement.GetProperty("model").GetString());
        Assert.Equal(200.0, json.RootElement.GetProperty("result").GetProperty("scores").GetProperty("perception")
            .GetProperty("total").GetDouble());
        string summary = File.ReadAllText(temp.File("results/summary.md"));
        Assert.Contains("| mme | Perception | 200.00 | ckpt-7b |", summary, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.File("results/mme.md")));
        if (VisInstruct.Evaluation.Charts.FontFile is not null)
        {
            // The chart names its bars as text (a font was found to measure it with).
            string svg = string.Concat(File.ReadAllText(temp.File("results/mme.svg")).Where(c => !char.IsWhiteSpace(c)));
            Assert.Contains(">color<", svg, StringComparison.Ordinal);
            Assert.True(new FileInfo(temp.File("results/mme.png")).Length > 1000);
        }
    }

    [Fact]
    public void BadAnswerFile_IsExitTwo_NamingTheLine()
    {
        using var temp = new TempDir();
        Mme(temp);
        File.AppendAllText(temp.File("answers.jsonl"), "{\"question_id\": \"color/0001.png\", \"text\": [1]}\n");
        var result = CliRunner.Run("eval", "score", "mme", "--answers", temp.File("answers.jsonl"), "--ground-truth", temp.File("mme"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("answers.jsonl:4:", result.Error, StringComparison.Ordinal);
        Assert.Contains("field text", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingGroundTruth_IsExitTwo()
    {
        using var temp = new TempDir();
        var result = CliRunner.Run("eval", "score", "mme", "--answers", Mme(temp), "--ground-truth", temp.File("nowhere"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no such folder", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Pope_WithoutItsLabels_IsAUsageError()
    {
        using var temp = new TempDir();
        var result = CliRunner.Run("eval", "score", "pope", "--answers", Mme(temp));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("give --questions", result.Error, StringComparison.Ordinal);
    }
}
