using System.Text.Json;
using VisInstruct.Evaluation;
using VisInstruct.Evaluation.Scoring;
using VisInstruct.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Evaluation;

public class ScorerTests
{
    [Theory]
    [InlineData("Yes, there is a dog in the image.", "yes")]
    [InlineData("No, there is not.", "no")]
    [InlineData("There is no dog.", "no")]
    [InlineData("It is not there", "no")]
    [InlineData("NO", "yes")]
    [InlineData("Nope", "yes")]
    [InlineData("Yes. But no cat.", "yes")]
    [InlineData("No\nThere is none", "yes")]
    [InlineData("no,", "no")]
    public void Pope_ReadsYesOrNo_ByLlavasRule(string text, string expected) => Assert.Equal(expected, PopeScorer.Parse(text));

    [Fact]
    public void Pope_ScoresEachSplit_JoinedByQuestion()
    {
        using var temp = new TempDir();
        string questions = EvalFiles.Write(temp, "llava_pope_test.jsonl", EvalFiles.Lines(
            new { question_id = 1, image = "a.jpg",
                text = "Is there a dog in the image?\nAnswer the question using a single word or phrase.",
                category = "random" },
            new { question_id = 2, image = "a.jpg", text = "Is there a cat in the image?", category = "random" },
            new { question_id = 3, image = "b.jpg", text = "Is there a car in the image?", category = "random" },
            new { question_id = 4, image = "b.jpg", text = "Is there a bus in the image?", category = "random" },
            new { question_id = 5, image = "b.jpg", text = "Is there a bus in the image?", category = "adversarial" }));
        EvalFiles.Write(temp, "pope/coco_pope_random.json", EvalFiles.Lines(
            new { question_id = 1, image = "a.jpg", text = "Is there a dog in the image?", label = "yes" },
            new { question_id = 2, image = "a.jpg", text = "Is there a cat in the image?", label = "no" },
            new { question_id = 3, image = "b.jpg", text = "Is there a car in the image?", label = "yes" },
            new { question_id = 4, image = "b.jpg", text = "Is there a bus in the image?", label = "no" }));
        EvalFiles.Write(temp, "pope/coco_pope_adversarial.json", EvalFiles.Lines(
            new { question_id = 1, image = "b.jpg", text = "Is there a bus in the image?", label = "no" }));
        // Answers out of the label file's order: joined by question, not by position.
        var answers = EvalFiles.Answers(temp, (3, "No, it is a truck."), (1, "Yes"), (4, "No."), (2, "Yes, a cat."), (5, "Yes"), (9, "x"));
        var score = PopeScorer.Score(answers, questions, temp.File("pope"));

        var random = score.Splits.Single(s => s.Name == "random");
        Assert.Equal((1, 1, 1, 1), (random.TruePositives, random.FalsePositives, random.TrueNegatives, random.FalseNegatives));
        Assert.Equal((0.5, 0.5, 0.5, 0.5, 0.5), (random.Accuracy, random.Precision, random.Recall, random.F1, random.YesRatio));
        var adversarial = score.Splits.Single(s => s.Name == "adversarial");
        Assert.Equal((0, 1.0), (adversarial.TruePositives, adversarial.YesRatio));
        Assert.True(double.IsNaN(adversarial.Recall));
        Assert.Contains(score.Notes, n => n.StartsWith("adversarial: precision or recall", StringComparison.Ordinal));
        Assert.Single(score.Unjoined);
    }

    [Theory]
    [InlineData("B", "B")]
    [InlineData("B. the ocean", "B")]
    [InlineData("The answer is C.", "C")]
    [InlineData("b", "FAILED")]
    [InlineData("B.", "FAILED")]
    [InlineData("I think B", "FAILED")]
    [InlineData("The answer is A. The answer is B.", "FAILED")]
    public void ScienceQa_ReadsTheLetter_ByLlavasRule(string text, string expected) => Assert.Equal(expected, ScienceQaScorer.Parse(text));

    [Fact]
    public void ScienceQa_CountsEveryProblemOfTheSplit_AndTheImageSubsetFromThePrompt()
    {
        using var temp = new TempDir();
        EvalFiles.Write(temp, "sqa/problems.json", JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["1"] = new { choices = new[] { "cat", "dog" }, answer = 1 },
            ["2"] = new { choices = new[] { "red", "blue", "green" }, answer = 2 },
            ["3"] = new { choices = new[] { "yes", "no" }, answer = 0 },
            ["4"] = new { choices = new[] { "up", "down" }, answer = 0 },
            ["5"] = new { choices = new[] { "a", "b" }, answer = 0 },
        }));
        EvalFiles.Write(temp, "sqa/pid_splits.json",
            JsonSerializer.Serialize(new { test = new[] { "1", "2", "3", "4" }, val = new[] { "5" } }));
        var answers = EvalFiles.Answers(temp, [
            ("1", "<image>\nWhich animal?", "B"), ("2", "<image>\nWhich colour?", "The answer is C."),
            ("3", "Is it?", "C"), ("5", "x", "A")]);
        var score = ScienceQaScorer.Score(answers, temp.File("sqa"));

        Assert.Equal((4, 2, 2, 2), (score.Count, score.Correct, score.ImageCount, score.ImageCorrect));
        Assert.Equal(0.5, score.Accuracy);
        Assert.Equal(1, score.Unanswered);
        Assert.Single(score.Unjoined);
    }

    [Fact]
    public void Seed_IsExactLetterMatch_PerDimensionAndDataType()
    {
        using var temp = new TempDir();
        string annotations = EvalFiles.Write(temp, "SEED-Bench.json", JsonSerializer.Serialize(new
        {
            question_type = new Dictionary<string, int> { ["Scene Understanding"] = 1, ["Instance Counting"] = 5 },
            questions = new object[]
            {
                new { question_id = "101", answer = "A", question_type_id = 1, data_type = "image" },
                new { question_id = "102", answer = "B", question_type_id = 1, data_type = "image" },
                new { question_id = "103", answer = "C", question_type_id = 5, data_type = "image" },
                new { question_id = "v1", answer = "D", question_type_id = 5, data_type = "video" },
            },
        }));
        var answers = EvalFiles.Answers(temp, (101, "A"), (102, "B."), (103, "C"));
        var all = SeedScorer.Score(answers, annotations);
        Assert.Equal(0.5, all.Accuracy);
        Assert.Equal((1, 2), all.Dimensions["Scene Understanding"]);
        Assert.Equal((1, 2), all.Dimensions["Instance Counting"]);
        Assert.Equal(1, all.Unanswered);
        var images = SeedScorer.Score(answers, annotations, "image");
        Assert.Equal(2.0 / 3, images.Accuracy, 12);
        Assert.Equal(0, images.Unanswered);
    }

    [Theory]
    [InlineData("Two dogs.", "2 dogs")]
    [InlineData("a man's hat", "man's hat")]
    [InlineData("yes!", "yes")]
    [InlineData("3,000", "3000")]
    [InlineData("red, white", "red white")]
    [InlineData("dont", "don't")]
    [InlineData("3.5", "3.5")]
    [InlineData("left-hand", "left hand")]
    [InlineData("The Ten", "10")]
    public void Vqa_Official_Normalisation(string text, string expected) => Assert.Equal(expected, VqaNormalizer.Official(text));

    [Theory]
    [InlineData("What's that?", "what 's that")]
    [InlineData("The Two", "2")]
    [InlineData("  Coca-Cola  ", "coca cola")]
    public void Vqa_EvalAi_Normalisation(string text, string expected) => Assert.Equal(expected, VqaNormalizer.EvalAi(text));

    [Fact]
    public void Vqa_PeriodStrip_StopsAfter32_AsTheOriginalsCountArgumentMakesIt()
    {
        string text = string.Concat(Enumerable.Repeat("x.", 40));
        Assert.Equal(new string('x', 32) + string.Concat(Enumerable.Repeat("x.", 8)), VqaNormalizer.Punctuation(text));
    }

    [Theory]
    [InlineData("2", 0.9)]
    [InlineData("3", 1.0)]
    [InlineData("three", 1.0)]
    [InlineData("4", 0.0)]
    public void Vqa_Accuracy_AveragesTheTenLeaveOneOutSubsets(string prediction, double expected)
    {
        string[] humans = ["2", "2", "2", "3", "3", "3", "3", "3", "3", "3"];
        Assert.Equal(expected, VqaAccuracy.Official(prediction, humans), 12);
    }

    [Fact]
    public void Vqa_Accuracy_OfOneAgreeingHuman_IsAThirdOfNineTenths() =>
        Assert.Equal(0.3, VqaAccuracy.EvalAi("red", ["red", "blue", "blue", "blue", "blue", "blue", "blue", "blue", "blue", "blue"]), 12);

    [Fact]
    public void Vqa_Scores_VqaV2Annotations_PerAnswerType()
    {
        using var temp = new TempDir();
        static object Humans(params string[] a) => a.Select(x => new { answer = x }).ToArray();
        string annotations = EvalFiles.Write(temp, "ann.json", JsonSerializer.Serialize(new
        {
            annotations = new object[]
            {
                new { question_id = 1, answers = Humans([.. Enumerable.Repeat("yes", 10)]), answer_type = "yes/no", question_type = "is" },
                new { question_id = 2, answers = Humans([.. Enumerable.Repeat("2", 3), .. Enumerable.Repeat("3", 7)]),
                    answer_type = "number", question_type = "how many" },
                new { question_id = 3, answers = Humans([.. Enumerable.Repeat("red", 10)]), answer_type = "other", question_type = "what" },
            },
        }));
        var score = VqaScorer.Score(EvalFiles.Answers(temp, (1, "Yes"), (2, "two")), annotations, VqaRule.Official);
        // "Yes" against ten "yes": the humans agree, so no normalisation, but matching ignores case: 1.0; "two" is 2: 0.9.
        Assert.Equal(0.95, score.Accuracy, 12);
        Assert.Equal(1, score.Unanswered);
    }

    [Fact]
    public void Gqa_IsExactMatch_AfterLlavasTrailingPeriodAndLowerCase()
    {
        using var temp = new TempDir();
        string questions = EvalFiles.Write(temp, "testdev.json", JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["q1"] = new { answer = "yes", types = new { structural = "verify" } },
            ["q2"] = new { answer = "left", types = new { structural = "query" } },
            ["q3"] = new { answer = "table", types = new { structural = "query" } },
        }));
        var score = GqaScorer.Score(EvalFiles.Answers(temp, ("q1", "Yes."), ("q2", "On the left"), ("q3", "Table..")), questions);
        Assert.Equal((2, 3), (score.Right, score.Count));
    }

    [Theory]
    [InlineData("B", "B")]
    [InlineData("(C) a dog", "C")]
    [InlineData("B. Paris", "B")]
    [InlineData("The answer is D", null)]
    [InlineData("I would say option C is right", "C")]
    [InlineData("It shows Paris.", "B")]
    [InlineData("A or B", null)]
    [InlineData("E", null)]
    public void MmBench_ReadsTheOption_ByRule(string text, string? expected) =>
        Assert.Equal(expected, MmBenchScorer.Extract(text, ["London", "Paris", "Rome"]));

    [Fact]
    public void MmBench_CountsAQuestion_OnlyWhenEveryRotationIsRight()
    {
        using var temp = new TempDir();
        string tsv = EvalFiles.Write(temp, "mmbench_dev.tsv", string.Join("\n",
            "index\tquestion\thint\tA\tB\tC\tD\tanswer\tcategory\timage\tl2-category",
            "1\tWhich city?\tnan\tLondon\tParis\tRome\t\tB\tgeo\timg\tcoarse",
            "1000001\tWhich city?\tnan\tParis\tRome\tLondon\t\tA\tgeo\timg\tcoarse",
            "2\t\"Which colour,\nreally?\"\tA hint\tred\tblue\t\t\tA\tcolour\timg\tfine",
            "1000002\t\"Which colour,\nreally?\"\tA hint\tblue\tred\t\t\tB\tcolour\timg\tfine") + "\n");
        var questions = MmBenchFile.Read(tsv);
        Assert.Equal(4, questions.Count);
        Assert.Equal("Which colour,\nreally?", questions[2].Question);
        Assert.Equal(["red", "blue"], questions[2].Options);
        Assert.Equal("A hint\nWhich colour,\nreally?\nA. red\nB. blue", MmBenchFile.Prompt(questions[2], questions[2].Options));

        var score = MmBenchScorer.Score(EvalFiles.Answers(temp, (1, "B"), (1000001, "A"), (2, "A"), (1000002, "A")), questions);
        Assert.Equal((1, 2), (score.Right, score.Count));
        Assert.Equal(1.0, score.Single);
    }

    [Fact]
    public void AnswerFile_WithoutText_IsAnErrorNamingTheLineAndField()
    {
        using var temp = new TempDir();
        string path = EvalFiles.Write(temp, "answers.jsonl", "{\"question_id\": 1, \"text\": \"a\"}\n{\"question_id\": 2, \"text\": 5}\n");
        var error = Assert.Throws<InputFormatException>(() => AnswerFile.Read(path));
        Assert.Contains(":2:", error.Describe(), StringComparison.Ordinal);
        Assert.Equal("text", error.Field);
    }
}
