using System.Text.Json;
using VisInstruct.Rendering;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Evaluation;

/// <summary>
/// <c>eval answer</c> against a loopback server that speaks the OpenAI chat protocol with images (data URLs), including
/// its faults (429 with Retry-After, 500), and the promises: the answer file in LLaVA's layout and the question order,
/// and a rerun that sends nothing.
/// </summary>
public class EvalAnswerServerTests
{
    private static byte[] Image(string colour)
    {
        var scene = new SceneSpec
        {
            Width = 64, Height = 64,
            Background = new Background(BackgroundKind.Plain, NamedColor.Backgrounds[0], NamedColor.Backgrounds[1]),
            Objects = [new SceneObject(ShapeKind.Circle, NamedColor.Find(colour)!, SizeClass.Large, new PixelBox(8, 8, 56, 56))],
        };
        return ProceduralRenderer.Render(scene);
    }

    /// <summary>The user message's text and how many images it carries, as the server received them.</summary>
    private static (string Text, int Images, double? Temperature) Read(RecordedRequest request)
    {
        var root = JsonDocument.Parse(request.Body).RootElement;
        var messages = root.GetProperty("messages");
        var content = messages[messages.GetArrayLength() - 1].GetProperty("content");
        double? temperature = root.TryGetProperty("temperature", out var t) ? t.GetDouble() : null;
        if (content.ValueKind == JsonValueKind.String)
        {
            return (content.GetString()!, 0, temperature);
        }

        var parts = content.EnumerateArray().ToList();
        string text = string.Concat(parts.Where(p => p.GetProperty("type").GetString() == "text")
            .Select(p => p.GetProperty("text").GetString()));
        int images = parts.Count(p => p.GetProperty("type").GetString() == "image_url"
            && p.GetProperty("image_url").GetProperty("url").GetString()!.StartsWith("data:image/jpeg;base64,", StringComparison.Ordinal));
        return (text, images, temperature);
    }

    private static Task<LoopbackServer> Vision(int faults = 0)
    {
        int seen = 0;
        return FakeChatServer.StartAsync("ckpt", request =>
        {
            if (Interlocked.Increment(ref seen) <= faults)
            {
                return seen % 2 == 1 ? ChatBehaviour.RateLimited(1) : ChatBehaviour.ServerError();
            }

            var (text, images, _) = Read(request);
            return ChatBehaviour.Reply(images == 0 ? "I cannot see an image."
                : text.Contains("red", StringComparison.Ordinal) ? " Yes\n" : "No");
        });
    }

    private static string Config(TempDir temp, LoopbackServer server) =>
        temp.Write("run.yaml", $"vision:\n  endpoints: [{server.BaseUrl}v1]\n  model: ckpt\n");

    [Fact]
    public async Task Answers_InLlavasLayout_InQuestionOrder_ThroughFaults_AndARerunSendsNothing()
    {
        using var temp = new TempDir();
        temp.Write("images/color/1.jpg", Image("red"));
        temp.Write("images/color/2.jpg", Image("blue"));
        string questions = temp.Write("questions.jsonl", EvalFiles.Lines(
            new { question_id = "color/1.jpg", image = "color/1.jpg",
                text = "Is the circle red?\nAnswer the question using a single word or phrase.", category = "color" },
            new { question_id = "color/1.jpg", image = "color/1.jpg",
                text = "Is the circle blue?\nAnswer the question using a single word or phrase.", category = "color" },
            new { question_id = 7, image = "color/2.jpg", text = "Is the circle red?", category = "color" }));
        await using var server = await Vision(faults: 2);
        string config = Config(temp, server);
        string[] args = ["eval", "answer", "--questions", questions, "--image-folder", temp.File("images"), "--answers",
            temp.File("answers.jsonl"), "--config", config, "--quiet", "--max-tokens", "16"];

        var first = CliRunner.Run(args);
        Assert.True(first.ExitCode == 0, first.Error + first.Out);
        var lines = File.ReadAllLines(temp.File("answers.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal(["Yes", "No", "Yes"], lines.Select(l => l.GetProperty("text").GetString()));
        Assert.Equal(JsonValueKind.String, lines[0].GetProperty("question_id").ValueKind);
        Assert.Equal(7, lines[2].GetProperty("question_id").GetInt32());
        Assert.Equal("Is the circle blue?\nAnswer the question using a single word or phrase.", lines[1].GetProperty("prompt").GetString());
        Assert.All(lines, l => Assert.Equal("ckpt", l.GetProperty("model_id").GetString()));
        Assert.All(lines, l => Assert.Equal(JsonValueKind.Object, l.GetProperty("metadata").ValueKind));
        Assert.Equal(3, lines.Select(l => l.GetProperty("answer_id").GetString()).Distinct().Count());
        var chats = server.To("/v1/chat/completions").Select(Read).ToList();
        Assert.Equal(5, chats.Count);
        Assert.All(chats, c => Assert.Equal((1, (double?)0.0), (c.Images, c.Temperature)));
        Assert.DoesNotContain(chats, c => c.Text.Contains("<image>", StringComparison.Ordinal));

        int sent = server.To("/v1/chat/completions").Count;
        var again = CliRunner.Run(args);
        Assert.True(again.ExitCode == 0, again.Error + again.Out);
        Assert.Equal(sent, server.To("/v1/chat/completions").Count);
        Assert.Equal(File.ReadAllText(temp.File("answers.jsonl")), File.ReadAllText(temp.File("answers.jsonl.run", "answers.jsonl")));

        // The answers score as they are.
        temp.Write("mme/color/1.txt",
            "Is the circle red? Please answer yes or no.\tYes\nIs the circle blue? Please answer yes or no.\tNo\n");
        var score = CliRunner.Run("eval", "score", "mme", "--answers", temp.File("answers.jsonl"), "--ground-truth", temp.File("mme"));
        Assert.Equal(0, score.ExitCode);
        Assert.Contains("| Perception | color | 2 | 100.00 | 100.00 | 200.00 | 0 |", score.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shards_MergeIntoTheAnswersOfAnUnshardedRun()
    {
        using var temp = new TempDir();
        temp.Write("images/r.jpg", Image("red"));
        temp.Write("images/b.jpg", Image("blue"));
        string questions = temp.Write("q.jsonl", EvalFiles.Lines([.. Enumerable.Range(0, 10).Select(i =>
            (object)new { question_id = i, image = i % 2 == 0 ? "r.jpg" : "b.jpg", text = $"Is thing {i} red?" })]));
        await using var server = await Vision();
        string config = Config(temp, server);
        string[] common = ["eval", "answer", "--questions", questions, "--image-folder", temp.File("images"), "--config", config,
            "--quiet", "--seed", "3"];
        Assert.Equal(0, CliRunner.Run([.. common, "--answers", temp.File("whole.jsonl")]).ExitCode);
        for (int shard = 0; shard < 2; shard++)
        {
            var run = CliRunner.Run([.. common, "--answers", temp.File("part.jsonl"), "--out", temp.File($"s{shard}"), "--shard-index",
                shard.ToString(System.Globalization.CultureInfo.InvariantCulture), "--shard-count", "2"]);
            Assert.True(run.ExitCode == 0, run.Error + run.Out);
            Assert.Contains("this shard's answers", run.Out, StringComparison.Ordinal);
        }

        var merged = CliRunner.Run("merge", temp.File("s0"), temp.File("s1"), "--out", temp.File("merged"));
        Assert.True(merged.ExitCode == 0, merged.Error + merged.Out);
        Assert.Equal(File.ReadAllText(temp.File("whole.jsonl")), File.ReadAllText(temp.File("merged", "answers.jsonl")));
    }

    [Fact]
    public async Task Blind_SendsNoImage()
    {
        using var temp = new TempDir();
        string questions = temp.Write("q.jsonl", EvalFiles.Lines(new { question_id = 1, image = "missing.jpg", text = "Is it red?" }));
        await using var server = await Vision();
        var result = CliRunner.Run("eval", "answer", "--questions", questions, "--answers", temp.File("a.jsonl"), "--config",
            Config(temp, server), "--quiet", "--blind");
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Equal(0, Read(server.To("/v1/chat/completions").Single()).Images);
        Assert.Contains("I cannot see an image.", File.ReadAllText(temp.File("a.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingImages_AreBadInput_BeforeAnythingIsSent()
    {
        using var temp = new TempDir();
        string questions = temp.Write("q.jsonl", EvalFiles.Lines(new { question_id = 1, image = "nowhere.jpg", text = "Is it red?" }));
        await using var server = await Vision();
        var result = CliRunner.Run("eval", "answer", "--questions", questions, "--answers", temp.File("a.jsonl"), "--config",
            Config(temp, server), "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nowhere.jpg", result.Error, StringComparison.Ordinal);
        Assert.Empty(server.To("/v1/chat/completions"));
    }

    [Fact]
    public async Task MmBench_AllRounds_RotatesTheOptions_AndScoresCircularly()
    {
        using var temp = new TempDir();
        string image = Convert.ToBase64String(Image("red"));
        string tsv = temp.Write("mmbench_dev.tsv", string.Join("\n",
            "index\tquestion\thint\tA\tB\tC\tD\tanswer\tcategory\timage\tl2-category",
            $"5\tWhat colour is the circle?\tnan\tblue\tred\tgreen\t\tB\tcolour\t{image}\tattribute") + "\n");
        // The model names the option whose text is "red", wherever it is shown.
        await using var server = await FakeChatServer.StartAsync("ckpt", request =>
        {
            var lines = Read(request).Text.Split('\n');
            string letter = lines.First(l => l.EndsWith(". red", StringComparison.Ordinal))[..1];
            return ChatBehaviour.Reply(letter);
        });
        var result = CliRunner.Run("eval", "answer", "--questions", tsv, "--answers", temp.File("a.jsonl"), "--config",
            Config(temp, server), "--quiet", "--all-rounds", "--single-pred-prompt");
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        var lines = File.ReadAllLines(temp.File("a.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["B", "A", "C"], lines.Select(l => l.GetProperty("text").GetString()));
        Assert.Equal([0, 1, 2], lines.Select(l => l.GetProperty("round_id").GetInt32()));
        Assert.Equal(["B", "C", "A"], lines[1].GetProperty("option_char").EnumerateArray().Select(e => e.GetString()));
        Assert.EndsWith("Answer with the option's letter from the given choices directly.", Read(server.To("/v1/chat/completions")[0]).Text,
            StringComparison.Ordinal);

        var score = CliRunner.Run("eval", "score", "mmbench", "--answers", temp.File("a.jsonl"), "--questions", tsv);
        Assert.Equal(0, score.ExitCode);
        Assert.Contains("Circular accuracy 100.00 over 1 questions", score.Out, StringComparison.Ordinal);
    }
}
