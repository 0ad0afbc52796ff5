using System.Text.Json;
using VisInstruct.Evaluation.Review;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Evaluation;

public class LlavaBenchTests
{
    [Theory]
    [InlineData("8 7\nAssistant 1 is more precise.", 8.0, 7.0)]
    [InlineData("9,6.5", 9.0, 6.5)]
    [InlineData("9, 6.5", -1.0, -1.0)]
    [InlineData("Scores: 8 7", -1.0, -1.0)]
    [InlineData("8  7", -1.0, -1.0)]
    [InlineData("+8 1e1", 8.0, 10.0)]
    [InlineData("", -1.0, -1.0)]
    public void Scores_AreTheFirstLinesTwoFloats_ByLlavasRule(string review, double first, double second) =>
        Assert.Equal((first, second), ReviewScores.Parse(review));

    [Fact]
    public void Summary_RoundsTheMeansFirst_AsLlavasSummaryDoes()
    {
        var rows = ReviewScores.Summarize([("conv", 8, 7), ("conv", 8, 7), ("detail", 9, 9), ("complex", -1, -1)]);
        var all = rows.Single(r => r.Category == "all");
        // Means 6.0 and 5.5: relative 91.7; x10 60.0 and 55.0; the unreadable review counts as (-1, -1).
        Assert.Equal((4, 91.7, 60.0, 55.0, 1), (all.Count, all.Relative, all.Reference, all.Model, all.Unparsed));
        Assert.Equal(87.5, rows.Single(r => r.Category == "conv").Relative);
    }

    /// <summary>Our own judge rules for the test (LLaVA's rule.json is another project's prose and is not in the repository).</summary>
    private static string Rules(TempDir temp) => temp.Write("rules.json", JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["conv"] = new { role = "Assistant", prompt = "Rate both answers from 1 to 10; first line: the two scores." },
        ["detail"] = new { role = "Assistant", prompt = "Rate both descriptions from 1 to 10; first line: the two scores." },
        ["complex"] = new { role = "Assistant", prompt = "Rate both explanations from 1 to 10; first line: the two scores." },
    }));

    [Fact]
    public async Task Review_OfTheCocoSet_SendsLlavasLayout_ToTheConfiguredJudge_AndSummarises()
    {
        using var temp = new TempDir();
        string questions = Paths.Fixture("llava", "eval", "qa90_questions.jsonl");
        string reference = Paths.Fixture("llava", "eval", "qa90_gpt4_answer.jsonl");
        string context = Paths.Fixture("llava", "eval", "caps_boxes_coco2014_val_80.jsonl");
        // The model's answers: the reference's own, with answer ids, as a model answer file has them.
        temp.Write("model.jsonl", string.Concat(File.ReadLines(reference).Select((l, i) =>
        {
            var a = JsonDocument.Parse(l).RootElement;
            return JsonSerializer.Serialize(new { question_id = a.GetProperty("question_id").GetInt32(), prompt = "",
                text = a.GetProperty("text").GetString(), answer_id = $"ans{i}", model_id = "ckpt", metadata = new { } }) + "\n";
        })));
        await using var judge = await FakeChatServer.StartAsync("judge", request =>
        {
            string body = request.Text;
            return ChatBehaviour.Reply(body.Contains("Rate both answers", StringComparison.Ordinal) ? "8 7\nFine."
                : body.Contains("Rate both descriptions", StringComparison.Ordinal) ? "9 9" : "I cannot score this.");
        });
        string config = temp.Write("run.yaml", $"llm:\n  endpoints: [{judge.BaseUrl}v1]\n  model: judge\n");

        var result = CliRunner.Run("eval", "score", "llava-bench", "--questions", questions, "--context", context, "--reference", reference,
            "--answers", temp.File("model.jsonl"), "--rules", Rules(temp), "--config", config, "--quiet", "--out", temp.File("results"));
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("| conv | 30 | 87.5 | 80.0 | 70.0 |", result.Out, StringComparison.Ordinal);
        Assert.Contains("| detail | 30 | 100.0 | 90.0 | 90.0 |", result.Out, StringComparison.Ordinal);
        Assert.Contains("| all | 90 | 93.8 | 53.3 | 50.0 |", result.Out, StringComparison.Ordinal);
        Assert.Contains("30 reviews had no readable score pair", result.Error, StringComparison.Ordinal);

        var first = JsonDocument.Parse(judge.To("/v1/chat/completions").First(r =>
            r.Text.Contains("What is the color of the two suitcases", StringComparison.Ordinal)).Body).RootElement;
        var messages = first.GetProperty("messages");
        Assert.Equal(LlavaBenchReviewRecipe.JudgeSystem, messages[0].GetProperty("content").GetString());
        string content = messages[1].GetProperty("content").GetString()!;
        Assert.StartsWith("[Context]\nTwo antique suitcases sit stacked one on top of the other.\n", content, StringComparison.Ordinal);
        Assert.Contains("\n\nsuitcase: [0.167, 0.025, 0.989, 0.445]\n", content, StringComparison.Ordinal);
        Assert.Contains(
            "[Question]\nWhat is the color of the two suitcases in the image?\n\n[Assistant 1]\nThe colors of the two suitcases",
            content, StringComparison.Ordinal);
        Assert.EndsWith("[System]\nRate both answers from 1 to 10; first line: the two scores.\n\n", content, StringComparison.Ordinal);
        Assert.Equal(0.2, first.GetProperty("temperature").GetDouble());

        var reviews = File.ReadAllLines(temp.File("model.jsonl.review", "reviews.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(90, reviews.Count);
        Assert.Equal("ans0", reviews[0].GetProperty("answer2_id").GetString());
        Assert.Equal("0", reviews[0].GetProperty("answer1_id").GetString());
        Assert.Equal([8.0, 7.0], reviews[0].GetProperty("tuple").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Contains("| llava-bench | all relative | 93.80 |", File.ReadAllText(temp.File("results", "summary.md")),
            StringComparison.Ordinal);

        // A rerun asks the judge nothing more.
        int sent = judge.To("/v1/chat/completions").Count;
        var again = CliRunner.Run("eval", "score", "llava-bench", "--questions", questions, "--context", context, "--reference", reference,
            "--answers", temp.File("model.jsonl"), "--rules", Rules(temp), "--config", config, "--quiet");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(sent, judge.To("/v1/chat/completions").Count);
    }
}
