using System.Text.Json;
using VisInstruct.Evaluation.Abilities;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Evaluation;

public class AbilityBenchmarkTests
{
    private static List<JsonElement> Lines(string path) => [.. File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement)];

    [Theory]
    [InlineData("Yes, it is.", "yes_no", "yes", true)]
    [InlineData("no", "yes_no", "yes", false)]
    [InlineData("There are three.", "number", "3", true)]
    [InlineData("3 circles", "number", "3", true)]
    [InlineData("I count four", "number", "3", false)]
    [InlineData("B", "choice", "B", true)]
    [InlineData("It is red.", "choice", "B", true)]
    [InlineData("G. an object changes finish", "choice", "G", true)]
    public void Answers_AreReadByTheQuestionsKind(string text, string kind, string answer, bool right) =>
        Assert.Equal(right, AbilityScorer.Correct(text, kind, answer, ["blue", "red", "green", "pink", "x", "y", "z"]));

    [Fact]
    public void MakeBenchmark_WritesClosedFormQuestions_AndAPerfectModelScoresFull_AYesModelHalfOnYesNo()
    {
        using var temp = new TempDir();
        var made = CliRunner.Run("eval", "make-benchmark", "--out", temp.File("bench"), "--count", "12", "--seed", "4");
        Assert.True(made.ExitCode == 0, made.Error + made.Out);
        var questions = Lines(temp.File("bench", "questions.jsonl"));
        var truth = Lines(temp.File("bench", "answers_gt.jsonl"));
        Assert.Equal(questions.Count, truth.Count);
        Assert.True(questions.Count >= 12 * 8, $"{questions.Count} questions");
        Assert.All(questions, q => Assert.True(File.Exists(temp.File("bench", "images", q.GetProperty("image").GetString()!))));
        Assert.Contains(truth, t => t.GetProperty("ability").GetString() == "difference");
        Assert.Contains(truth, t => t.GetProperty("kind").GetString() == "number");
        // Multi-image questions are asked about one composite image, by place.
        Assert.All(questions.Where(q => q.GetProperty("category").GetString() is "reasoning" or "difference" or "similarity"),
            q => Assert.DoesNotContain("first image", q.GetProperty("text").GetString()!, StringComparison.Ordinal));

        // A model that answers every question right, as a model would word it.
        temp.Write("perfect.jsonl", string.Concat(truth.Select(t =>
        {
            string kind = t.GetProperty("kind").GetString()!, answer = t.GetProperty("answer").GetString()!;
            string text = kind == "yes_no" ? (answer == "yes" ? "Yes." : "No.") : kind == "number" ? $"There are {answer}." : answer;
            return JsonSerializer.Serialize(new { question_id = t.GetProperty("question_id").GetString(), prompt = "", text }) + "\n";
        })));
        var perfect = CliRunner.Run("eval", "score", "ability", "--answers", temp.File("perfect.jsonl"), "--benchmark",
            temp.File("bench"), "--out", temp.File("results"));
        Assert.Equal(0, perfect.ExitCode);
        Assert.Contains($"| **all** | {truth.Count} | 100.00 |", perfect.Out, StringComparison.Ordinal);
        if (VisInstruct.Evaluation.Charts.FontFile is not null)
        {
            Assert.True(File.Exists(temp.File("results", "ability-radar.svg")));
        }

        // A model that says yes to everything: right on exactly the yes/no questions whose answer is yes.
        temp.Write("yes.jsonl", string.Concat(truth.Select(t =>
            JsonSerializer.Serialize(new { question_id = t.GetProperty("question_id").GetString(), prompt = "", text = "Yes" }) + "\n")));
        var score = AbilityScorer.Score(VisInstruct.Evaluation.AnswerFile.Read(temp.File("yes.jsonl")), temp.File("bench"));
        int yes = truth.Count(t => t.GetProperty("kind").GetString() == "yes_no" && t.GetProperty("answer").GetString() == "yes");
        Assert.Equal(yes, score.Abilities.Values.Sum(v => v.Right));
    }

    [Fact]
    public void ExcludeDataset_LeavesOutEveryScenePromptOfTheTrainingRun()
    {
        using var temp = new TempDir();
        Assert.Equal(0, CliRunner.Run("eval", "make-benchmark", "--out", temp.File("a"), "--count", "6", "--seed", "2").ExitCode);
        var prompts = Lines(temp.File("a", "answers_gt.jsonl")).SelectMany(t => t.GetProperty("prompts").EnumerateArray())
            .Select(p => p.GetString()!).ToList();
        // A training run whose provenance holds exactly those prompts.
        temp.Write("train/images/provenance.jsonl", string.Concat(prompts.Select(p =>
            JsonSerializer.Serialize(new { sample = "x", image = new { file = "images/x.jpg", prompt = p } }) + "\n")));
        var again = CliRunner.Run("eval", "make-benchmark", "--out", temp.File("b"), "--count", "6", "--seed", "2", "--exclude-dataset",
            temp.File("train"));
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.DoesNotContain("0 drawn scenes left out", again.Out, StringComparison.Ordinal);
        var seen = new VisInstruct.Text.NearDuplicates();
        prompts.ForEach(p => seen.TryAdd(p));
        Assert.All(Lines(temp.File("b", "answers_gt.jsonl")).SelectMany(t => t.GetProperty("prompts").EnumerateArray()),
            p => Assert.Null(seen.Check(p.GetString()!)));
    }
}
