using System.Text.Json;
using MiniExcelLibs;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Evaluation;

public class SubmissionTests
{
    [Fact]
    public void VqaV2_ListsEveryTestQuestion_WithTheEvalAiProcessedAnswer()
    {
        using var temp = new TempDir();
        string questions = EvalFiles.Write(temp, "test.jsonl", EvalFiles.Lines(
            new { question_id = 11, image = "a.jpg", text = "How many dogs?" },
            new { question_id = 12, image = "a.jpg", text = "What colour?" }));
        EvalFiles.Answers(temp, (11, "Two dogs."));
        var result = CliRunner.Run("eval", "submit", "vqav2", "--answers", temp.File("answers.jsonl"), "--questions", questions,
            "--out", temp.File("upload.json"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1 questions without an answer", result.Out, StringComparison.Ordinal);
        var upload = JsonDocument.Parse(File.ReadAllText(temp.File("upload.json"))).RootElement;
        Assert.Equal((11, "2 dogs"), (upload[0].GetProperty("question_id").GetInt32(), upload[0].GetProperty("answer").GetString()));
        Assert.Equal("", upload[1].GetProperty("answer").GetString());
    }

    [Fact]
    public void VizWiz_RefusesAMissingAnswer_NamingTheQuestion()
    {
        using var temp = new TempDir();
        string questions = EvalFiles.Write(temp, "test.jsonl", EvalFiles.Lines(
            new { question_id = "VizWiz_test_1.jpg", image = "VizWiz_test_1.jpg", text = "What is this?" },
            new { question_id = "VizWiz_test_2.jpg", image = "VizWiz_test_2.jpg", text = "What is this?" }));
        EvalFiles.Answers(temp, ("VizWiz_test_1.jpg", "A can of soup"));
        var result = CliRunner.Run("eval", "submit", "vizwiz", "--answers", temp.File("answers.jsonl"), "--questions", questions,
            "--out", temp.File("upload.json"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("test.jsonl:2:", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("upload.json")));
    }

    [Fact]
    public void MmBench_WritesTheRowsWithAPredictionColumn_AsXlsx()
    {
        using var temp = new TempDir();
        string tsv = EvalFiles.Write(temp, "mmbench_test.tsv", string.Join("\n",
            "index\tquestion\thint\tA\tB\tC\tD\tcategory\timage",
            "3\tWhich city?\tnan\tLondon\tParis\tRome\t\tgeo\timg",
            "4\tWhich colour?\tnan\tred\tblue\t\t\tcolour\timg") + "\n");
        EvalFiles.Answers(temp, (3, "B"));
        var result = CliRunner.Run("eval", "submit", "mmbench", "--answers", temp.File("answers.jsonl"), "--questions", tsv,
            "--out", temp.File("upload.xlsx"));
        Assert.Equal(0, result.ExitCode);
        var rows = MiniExcel.Query(temp.File("upload.xlsx"), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal("B", rows[0]["prediction"]?.ToString());
        Assert.Equal("Rome", rows[0]["C"]?.ToString());
        Assert.Null(rows[1]["prediction"]);
    }
}
