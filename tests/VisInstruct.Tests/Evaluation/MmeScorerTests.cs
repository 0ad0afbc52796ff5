using System.Text.Json;
using VisInstruct.Evaluation;
using VisInstruct.Evaluation.Scoring;
using VisInstruct.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Evaluation;

public class MmeScorerTests
{
    private const string Suffix = "\nAnswer the question using a single word or phrase.";

    /// <summary>
    /// Two subtasks in MME's release layout (our own questions): "existence" with an images/ folder and
    /// questions_answers_YN/, "count" flat, two questions per image (one yes, one no). One question is written with two
    /// spaces before the suffix, as some release files are.
    /// </summary>
    private static string Release(TempDir temp)
    {
        string existence = Path.Combine(temp.Path, "mme", "existence");
        Directory.CreateDirectory(Path.Combine(existence, "images"));
        Directory.CreateDirectory(Path.Combine(existence, "questions_answers_YN"));
        File.WriteAllText(Path.Combine(existence, "questions_answers_YN", "000001.txt"),
            "Is there a dog in this image? Please answer yes or no.\tYes\nIs there a cat in this image? Please answer yes or no.\tNo\n");
        File.WriteAllText(Path.Combine(existence, "questions_answers_YN", "000002.txt"),
            "Is there a bus in this image?  Please answer yes or no.\tNo\nIs there a car in this image? Please answer yes or no.\tYes\n");
        string count = Path.Combine(temp.Path, "mme", "count");
        Directory.CreateDirectory(count);
        File.WriteAllText(Path.Combine(count, "a1.txt"),
            "Are there two apples in the image? Please answer yes or no.\tYes\n"
            + "Are there three apples in the image? Please answer yes or no.\tNo");
        File.WriteAllText(Path.Combine(count, "a2.txt"),
            "Is there one cup in the image? Please answer yes or no.\tNo\r\n"
            + "Are there two cups in the image? Please answer yes or no.\tYes\r\n");
        return Path.Combine(temp.Path, "mme");
    }

    private static string Answers(TempDir temp, params (string Id, string Question, string Text)[] answers)
    {
        string path = temp.File("answers.jsonl");
        File.WriteAllLines(path, answers.Select(a => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["question_id"] = a.Id, ["prompt"] = a.Question + Suffix, ["text"] = a.Text, ["answer_id"] = "x", ["model_id"] = "m",
            ["metadata"] = new Dictionary<string, object>(),
        })));
        return path;
    }

    private static (string, string, string)[] AllAnswers(string dog, string cat, string bus, string car, string two, string three,
        string one, string twoCups) =>
    [
        ("existence/000001.jpg", "Is there a dog in this image?", dog), ("existence/000001.jpg", "Is there a cat in this image?", cat),
        ("existence/000002.jpg", "Is there a bus in this image?", bus), ("existence/000002.jpg", "Is there a car in this image?", car),
        ("count/a1.png", "Are there two apples in the image?", two), ("count/a1.png", "Are there three apples in the image?", three),
        ("count/a2.png", "Is there one cup in the image?", one), ("count/a2.png", "Are there two cups in the image?", twoCups),
    ];

    [Theory]
    [InlineData("yes", "yes")]
    [InlineData("No", "no")]
    [InlineData("No.", "no")]
    [InlineData("none", "no")]
    [InlineData("Not sure", "no")]
    [InlineData("Yes, there is a dog.", "yes")]
    [InlineData("nope, yes", "no")]
    [InlineData("I think yes", "other")]
    [InlineData("eyes", "yes")]
    [InlineData("", "other")]
    [InlineData("Maybe", "other")]
    [InlineData("knot", "no")]
    public void Prediction_IsReadFromItsFirstFourCharacters(string text, string expected) =>
        Assert.Equal(expected, MmeScorer.ParsePrediction(text));

    [Fact]
    public void Score_GivesAccAccPlusAndScorePerSubtask_AsMmesTool()
    {
        using var temp = new TempDir();
        var truth = MmeGroundTruth.Load(Release(temp));
        Assert.Equal(8, truth.Count);
        // existence: image 1 both right; image 2: "no" right (two-space question), "Maybe" is other (wrong).
        // count: image a1 both right; a2: "No" right, "no way" read as no against Yes: wrong.
        var answers = AnswerFile.Read(Answers(temp, AllAnswers("Yes", "No", "no", "Maybe", "Yes.", "No", "No", "no way")));
        var score = MmeScorer.Score(answers, truth);

        Assert.Empty(score.Unjoined);
        Assert.Equal(0, score.Unanswered);
        var existence = score.Perception.Single(s => s.Name == "existence");
        Assert.Equal((4, 2, 0.75, 0.5, 125.0, 1), (existence.Questions, existence.Images, existence.Acc, existence.AccPlus,
            existence.Score, existence.Other));
        var count = score.Perception.Single(s => s.Name == "count");
        Assert.Equal((0.75, 0.5, 125.0, 0), (count.Acc, count.AccPlus, count.Score, count.Other));
        Assert.Equal((1, 1, 2, 0), (count.TruePositives, count.FalseNegatives, count.TrueNegatives, count.FalsePositives));
        Assert.Equal(250.0, score.PerceptionTotal);
        Assert.Equal(0.0, score.CognitionTotal);
        Assert.Equal(12, score.Perception.Count(s => s.Missing) + score.Cognition.Count(s => s.Missing));
    }

    [Fact]
    public void Templates_OfTheEvalTool_GiveTheSameScores()
    {
        using var temp = new TempDir();
        string results = Path.Combine(temp.Path, "Your_Results");
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, "existence.txt"), string.Join("\n",
            "000001.jpg\tIs there a dog in this image? Please answer yes or no.\tYes",
            "000001.jpg\tIs there a cat in this image? Please answer yes or no.\tNo",
            "000002.jpg\tIs there a bus in this image?  Please answer yes or no.\tNo",
            "000002.jpg\tIs there a car in this image? Please answer yes or no.\tYes\t"));
        var answers = AnswerFile.Read(Answers(temp, AllAnswers("Yes", "No", "no", "Maybe", "Yes.", "No", "No", "no way")));
        var score = MmeScorer.Score(answers, MmeGroundTruth.Load(results));

        Assert.Equal(125.0, score.Perception.Single(s => s.Name == "existence").Score);
        Assert.Equal(4, score.Unjoined.Count);
        Assert.Contains("question_id \"count/a1.png\"", score.Unjoined[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Unanswered_AndUnjoinedQuestions_AreReported_NotGuessed()
    {
        using var temp = new TempDir();
        var all = AllAnswers("Yes", "No", "no", "Yes", "Yes", "No", "No", "Yes");
        var answers = AnswerFile.Read(Answers(temp, [.. all.Take(6), ("count/a2.png", "Is there a spoon in the image?", "No")]));
        var score = MmeScorer.Score(answers, MmeGroundTruth.Load(Release(temp)));

        Assert.Equal(2, score.Unanswered);
        Assert.Single(score.Unjoined);
        Assert.StartsWith("line 7: question_id \"count/a2.png\"", score.Unjoined[0], StringComparison.Ordinal);
        Assert.Equal(200.0, score.Perception.Single(s => s.Name == "existence").Score);
        Assert.Equal(200.0, score.Perception.Single(s => s.Name == "count").Score);
        Assert.Contains(score.Notes, n => n.Contains("2 ground-truth questions have no answer", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_HasThePerceptionAndCognitionLayout()
    {
        using var temp = new TempDir();
        var answers = AnswerFile.Read(Answers(temp, AllAnswers("Yes", "No", "No", "Yes", "Yes", "No", "No", "Yes")));
        var score = MmeScorer.Score(answers, MmeGroundTruth.Load(Release(temp)));
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            score.WriteFigures(writer);
        }

        using var json = JsonDocument.Parse(stream.ToArray());
        var perception = json.RootElement.GetProperty("perception");
        Assert.Equal(400.0, perception.GetProperty("total").GetDouble());
        var existence = perception.GetProperty("subtasks").GetProperty("existence");
        Assert.Equal((1.0, 1.0, 200.0), (existence.GetProperty("acc").GetDouble(), existence.GetProperty("acc_plus").GetDouble(),
            existence.GetProperty("score").GetDouble()));
        Assert.Equal(0.0, json.RootElement.GetProperty("cognition").GetProperty("total").GetDouble());
        Assert.Equal(4, json.RootElement.GetProperty("cognition").GetProperty("missing").GetArrayLength());
    }

    [Fact]
    public void BadGroundTruth_NamesTheFileAndLine()
    {
        using var temp = new TempDir();
        string category = Path.Combine(temp.Path, "mme", "color");
        Directory.CreateDirectory(category);
        File.WriteAllText(Path.Combine(category, "x.txt"),
            "Is it red? Please answer yes or no.\tYes\nIs it blue? Please answer yes or no.\tperhaps\n");
        var error = Assert.Throws<InputFormatException>(() => MmeGroundTruth.Load(Path.Combine(temp.Path, "mme")));
        Assert.Equal(2, error.Position!.Value.Line);
        Assert.Contains("x.txt:2:1", error.Describe(), StringComparison.Ordinal);
        Assert.Contains("MME's answers are Yes or No", error.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void LlavaSample_JoinsEveryAnswer_ToGroundTruthInTheReleaseLayout()
    {
        // LLaVA-v1.5-13B's answers to the first image of each MME category, with ground truth written in the release
        // layout from the sample's own questions (first question yes, second no, as MME pairs them).
        string questions = Paths.External("llava", "eval", "mme_sample", "llava_mme.sample.jsonl");
        string answersFile = Paths.External("llava", "eval", "mme_sample", "answers_llava-v1.5-13b.sample.jsonl");
        using var temp = new TempDir();
        var lines = File.ReadAllLines(questions).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        foreach (var image in lines.GroupBy(l => l.GetProperty("question_id").GetString()!))
        {
            string id = image.Key;
            string category = id.Split('/')[0];
            string folder = id.Contains("/images/", StringComparison.Ordinal)
                ? Path.Combine(temp.Path, "mme", category, "questions_answers_YN") : Path.Combine(temp.Path, "mme", category);
            Directory.CreateDirectory(folder);
            if (id.Contains("/images/", StringComparison.Ordinal))
            {
                Directory.CreateDirectory(Path.Combine(temp.Path, "mme", category, "images"));
            }

            var texts = image.Select(l => l.GetProperty("text").GetString()!.Replace(Suffix, "", StringComparison.Ordinal)).ToList();
            File.WriteAllText(Path.Combine(folder, MmeGroundTruth.FileKey(id)),
                $"{texts[0]} Please answer yes or no.\tYes\n{texts[1]} Please answer yes or no.\tNo\n");
        }

        var answers = AnswerFile.Read(answersFile);
        var score = MmeScorer.Score(answers, MmeGroundTruth.Load(Path.Combine(temp.Path, "mme")));

        Assert.Equal(28, answers.Count);
        Assert.Empty(score.Unjoined);
        Assert.Equal(0, score.Unanswered);
        Assert.All(score.Perception.Concat(score.Cognition), s => Assert.Equal((2, 1), (s.Questions, s.Images)));
        // code_reasoning/0020.png: "Yes" to both (python: yes, c++: no): one right, the image not.
        var code = score.Cognition.Single(s => s.Name == "code_reasoning");
        Assert.Equal((0.5, 0.0, 50.0), (code.Acc, code.AccPlus, code.Score));
    }
}
