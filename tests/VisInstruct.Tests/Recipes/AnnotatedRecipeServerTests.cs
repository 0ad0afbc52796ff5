using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using VisInstruct.Formats;
using VisInstruct.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes;

/// <summary>
/// The SVIT and LLaVA-Instruct recipes against a loopback OpenAI-compatible server that answers each task in the
/// formats LLMs really write: the exact messages sent (original prompt files, the annotation context), parsing, the
/// repair turn, the grounding check, and failures.
/// </summary>
public class AnnotatedRecipeServerTests
{
    private static async Task<LoopbackServer> ChatServer(Func<string, string, int, string> answer)
    {
        var calls = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        return await LoopbackServer.StartAsync(async (context, request) =>
        {
            if (request.Path == "/v1/models")
            {
                await context.Json("{\"object\": \"list\", \"data\": [{\"id\": \"writer\"}]}");
                return;
            }

            using var body = JsonDocument.Parse(request.Body);
            var messages = body.RootElement.GetProperty("messages");
            string system = messages[0].GetProperty("content").GetString()!;
            string context0 = messages[1].GetProperty("content").GetString()!;
            int n = calls.AddOrUpdate(system + context0, 1, (_, c) => c + 1);
            await context.Json(FakeChatServer.Completion("writer", answer(system, context0, n), usage: true));
        });
    }

    private static string Config(TempDir temp, LoopbackServer chat, string annotations) =>
        annotations + $"\nllm:\n  endpoints: [{chat.BaseUrl}v1]\n  model: writer\n";

    /// <summary>The four SVIT tasks' answers for image 1 (800x600), in the shapes the original prompts ask for.</summary>
    private static string SvitAnswer(string system, string context, int call)
    {
        bool image1 = context.Contains("street: [0.096, 0.547, 0.989, 0.983]", StringComparison.Ordinal);
        if (system.Contains("Design three conversations", StringComparison.Ordinal))
        {
            var sb = new StringBuilder("Sure! Here are three conversations.\n\n");
            for (int c = 1; c <= 3; c++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"**Topic: Street life {c}**\n");
                for (int q = 1; q <= 5; q++)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"User: Question {c}.{q}?\nGPT: Answer {c}.{q}.\n");
                }

                sb.Append('\n');
            }

            return sb.ToString();
        }

        if (system.Contains("Create 15 plausible", StringComparison.Ordinal))
        {
            // The first answer has only 12 pairs; asked to fix it, the model gives all 15.
            int pairs = call == 1 && image1 ? 12 : 15;
            return string.Concat(Enumerable.Range(1, pairs)
                .Select(i => $"{i}. Question: Why is thing {i} there?\nAnswer: Because of reason {i}.\n\n"));
        }

        if (system.Contains("describing the image in detail", StringComparison.Ordinal))
        {
            return "The image shows a city street with a green clock on a tall post.\n\nA man in sneakers walks along the sidewalk.";
        }

        if (!image1)
        {
            return "I'm sorry, I can't help with that.";
        }

        return string.Join("\n", [
            "Question: What colour is the <st>clock<ed> [0.526, 0.152, 0.625, 0.717]?",
            "Answer: The <st>clock<ed> [0.526, 0.152, 0.625, 0.717] is green.",
            "Question: What is the <st>man<ed> [0.297, 0.415, 0.372, 0.852] wearing on his feet?",
            "Answer: He wears <st>sneakers<ed> [0.304, 0.815, 0.369, 0.858].",
            "Question: What is parked at the <st>corner<ed> [0.9, 0.9, 0.95, 0.95]?",
            "Answer: A <st>car<ed> [0.9, 0.9, 0.95, 0.95].",
            "Question: Is the <st>street<ed> [0.989, 0.547, 0.096, 0.983] busy?",
            "Answer: Not very.",
            "Question: What is along the street?",
            "Answer: Shade.",
            "Question: Is the <st>headlight<ed> [0.642, 0.61, 0.671, 0.635] on?",
            "Answer: No, the <st>headlight<ed> [0.642, 0.61, 0.671, 0.635] is off.",
            "Q: Where is the <st>shade<ed> [0.149, 0.563, 0.491, 0.883]?",
            "A: On the <st>street<ed> [0.096, 0.547, 0.989, 0.983].",
            "Question: What is the <st>man<ed> [0.297, 0.415, 0.372, 0.852] doing?",
            "Answer: He is walking past the <st>clock<ed> [0.526, 0.152, 0.625, 0.717].",
            "Question: What colour is the <st>clock<ed> [0.526, 0.095, 0.629, 0.327] in this region?",
            "Answer: Green.",
            "Question: Are the <st>sneakers<ed> [0.301, 0.818, 0.378, 0.868] on the man?",
            "Answer: Yes, the <st>man<ed> [0.297, 0.415, 0.372, 0.852] wears them.",
        ]);
    }

    [Fact]
    public async Task Svit_SendsTheOriginalPromptsWithTheContext_ParsesRepairsAndGrounds()
    {
        using var temp = new TempDir();
        await using var chat = await ChatServer(SvitAnswer);
        string config = temp.Write("llm.yaml",
            Config(temp, chat, File.ReadAllText(AnnotatedRecipeOfflineTests.VgConfig(temp, "svit:\n  context_tokens: 1500\n"))));
        var result = CliRunner.Run("generate", "--recipe", "svit", "--out", temp.File("out"), "--config", config, "--seed", "4", "--quiet",
            "--prompts", Paths.External("svit", "prompts"), "--detail-questions", Paths.External("svit", "data", "questions.txt"),
                "--max-failure-ratio", "1");
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("svit.context_tokens is deprecated", result.Error + result.Out, StringComparison.Ordinal);

        var requests = chat.To("/v1/chat/completions").Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        // 4 tasks x 2 images, one repair for image 1's complex reasoning, one for image 2's referring QA.
        Assert.Equal(10, requests.Count);
        var first = requests.First(r =>
            r.GetProperty("messages")[0].GetProperty("content").GetString()!.Contains("Create 15 plausible", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllText(Paths.External("svit", "prompts", "complex_reasoning.txt")),
            first.GetProperty("messages")[0].GetProperty("content").GetString());
        string context = first.GetProperty("messages")[1].GetProperty("content").GetString()!;
        Assert.StartsWith("(1) captions:\n(2) objects:\n", context, StringComparison.Ordinal);
        Assert.Contains("\n(3) regions:\n", context, StringComparison.Ordinal);
        Assert.False(context.EndsWith('\n'));

        var repair = Assert.Single(requests, r => r.GetProperty("messages").GetArrayLength() == 4
            && r.GetProperty("messages")[0].GetProperty("content").GetString()!.Contains("Create 15 plausible", StringComparison.Ordinal));
        Assert.Equal("assistant", repair.GetProperty("messages")[2].GetProperty("role").GetString());
        Assert.Contains("15", repair.GetProperty("messages")[3].GetProperty("content").GetString()!, StringComparison.Ordinal);

        using (var reader = JsonRecordReader.Open(temp.File("out", "svit", "complex_reasoning.json")))
        {
            var complex = JsonRecords.Read(reader, FormatsJsonContext.Default.SvitSample).ToList();
            Assert.Equal(15, complex[0].Conversations.Count);
            Assert.Equal("Why is thing 1 there?", complex[0].Conversations[0].Content[0].Value);
            Assert.Equal("Because of reason 1.", complex[0].Conversations[0].Content[1].Value);
        }

        using (var reader = JsonRecordReader.Open(temp.File("out", "svit", "conversation.json")))
        {
            var conversation = JsonRecords.Read(reader, FormatsJsonContext.Default.SvitSample).First();
            Assert.Equal(3, conversation.Conversations.Count);
            Assert.All(conversation.Conversations, c => Assert.Equal(10, c.Content.Count));
            Assert.Equal("Question 2.3?", conversation.Conversations[1].Content[4].Value);
        }

        using (var reader = JsonRecordReader.Open(temp.File("out", "svit", "detail_description.json")))
        {
            var detail = JsonRecords.Read(reader, FormatsJsonContext.Default.SvitSample).First();
            var turns = Assert.Single(detail.Conversations).Content;
            Assert.Contains(turns[0].Value, File.ReadAllLines(Paths.External("svit", "data", "questions.txt")));
            Assert.StartsWith("The image shows a city street", turns[1].Value, StringComparison.Ordinal);
        }

        // Referring QA: only the pairs whose boxes match an annotated box are kept; image 2 never answered usably.
        using (var reader = JsonRecordReader.Open(temp.File("out", "svit", "referring_qa.json")))
        {
            var referring = Assert.Single(JsonRecords.Read(reader, FormatsJsonContext.Default.SvitSample).ToList());
            Assert.Equal(1, referring.ImageId);
            Assert.Equal(7, referring.Conversations.Count);
        }

        string failure = Assert.Single(File.ReadAllLines(temp.File("out", "failures.jsonl")));
        Assert.Contains("\"key\": \"000000000002/referring_qa\"", failure, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"unparsable\"", failure, StringComparison.Ordinal);

        using var stats = JsonDocument.Parse(File.ReadAllText(temp.File("out", "stats.json")));
        var grounding = stats.RootElement.GetProperty("grounding");
        Assert.Equal(10, grounding.GetProperty("pairs").GetInt64());
        Assert.Equal(7, grounding.GetProperty("pairs_kept").GetInt64());
        var dropped = grounding.GetProperty("dropped");
        Assert.Equal(1, dropped.GetProperty("no-matching-box").GetInt64());
        Assert.Equal(1, dropped.GetProperty("inverted-box").GetInt64());
        Assert.Equal(1, dropped.GetProperty("no-reference").GetInt64());
        Assert.True(stats.RootElement.GetProperty("context").GetProperty("cut").GetInt64() > 0);
        string card = File.ReadAllText(temp.File("out", "README.md"));
        Assert.Contains("Grounding check (referring QA): 7 of 10 question-answer pairs kept (70.0%)", card, StringComparison.Ordinal);
        Assert.Contains("Contexts cut to fit", card, StringComparison.Ordinal);
        // Image 1's complex reasoning was repaired to 15 pairs (image 2's failed referring answer counts nowhere: it failed).
        Assert.Contains("Answers repaired: 1 asked to fix their format or counts; 0 kept with what parsed.", card,
            StringComparison.Ordinal);

        string llava = File.ReadAllText(temp.File("out", "llava.json"));
        Assert.Contains("the clock [0.526, 0.239, 0.625, 0.662]", llava, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("lint", temp.File("out", "llava.json")).ExitCode);

        // The same command in a fresh folder: the same bytes.
        Assert.Equal(0,
            CliRunner.Run("generate", "--recipe", "svit", "--out", temp.File("again"), "--config", config, "--seed", "4", "--quiet",
            "--prompts", Paths.External("svit", "prompts"), "--detail-questions", Paths.External("svit", "data", "questions.txt"),
                "--max-failure-ratio", "1").ExitCode);
        Assert.Equal(File.ReadAllBytes(temp.File("out", "llava.json")), File.ReadAllBytes(temp.File("again", "llava.json")));
    }

    [Fact]
    public async Task Svit_ReferringAnswerWithNoGroundedPair_IsDroppedWithTheReasons()
    {
        using var temp = new TempDir();
        string answer = string.Concat(Enumerable.Range(1, 10)
            .Select(i => $"Question: Where is the <st>kite {i}<ed> [0.9, 0.9, 0.95, 0.95]?\nAnswer: In the sky.\n"));
        await using var chat = await ChatServer((_, _, _) => answer);
        string config = temp.Write("llm.yaml", Config(temp, chat, File.ReadAllText(AnnotatedRecipeOfflineTests.VgConfig(temp))));
        var result = CliRunner.Run("generate", "--recipe", "svit", "--out", temp.File("out"), "--config", config, "--tasks", "referring_qa",
            "--count", "1",
            "--quiet", "--max-failure-ratio", "1");
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        string failure = Assert.Single(File.ReadAllLines(temp.File("out", "failures.jsonl")));
        Assert.Contains("\"status\": \"dropped\"", failure, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"ungrounded\"", failure, StringComparison.Ordinal);
        Assert.Contains("none of the 10 referring question-answer pairs is grounded in the annotations (no-matching-box 10)", failure,
            StringComparison.Ordinal);
        // Nothing was kept, so no dataset file has a record (files are made from the records they hold).
        Assert.False(File.Exists(temp.File("out", "llava.json")));
    }

    [Fact]
    public async Task LlavaInstruct_SendsTheFewShotPairsInOrder_AndTheConversationTaskGetsCaptionsOnly()
    {
        using var temp = new TempDir();
        await using var chat = await ChatServer((system, _, _) => system.Contains("Design a conversation", StringComparison.Ordinal)
            ? "Question:\nWhat is in the room?\n===\nAnswer:\nDecorations for a holiday.\n===\nQuestion:\nWhat colour is the "
                + "carpet?\n===\nAnswer:\nRed."
            : "Question:\nWhy might the room be decorated?\n===\nAnswer:\nIt is probably a holiday season.");
        string config = temp.Write("llm.yaml", Config(temp, chat, File.ReadAllText(AnnotatedRecipeOfflineTests.CocoConfig(temp))));
        string prompts = Paths.External("llava", "playground", "data", "prompts");
        var result = CliRunner.Run("generate", "--recipe", "llava-instruct", "--out", temp.File("out"), "--config", config, "--prompts",
            prompts, "--count", "1", "--quiet",
            "--tasks", "conversation,complex_reasoning");
        Assert.True(result.ExitCode == 0, result.Error + result.Out);

        var requests = chat.To("/v1/chat/completions").Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("messages")).ToList();
        var conversation = requests.Single(m =>
            m[0].GetProperty("content").GetString() == File.ReadAllText(Path.Combine(prompts, "conversation", "system_message.txt")));
        Assert.Equal(6, conversation.GetArrayLength());
        Assert.Equal(File.ReadAllText(Path.Combine(prompts, "conversation", "000_caps.txt")),
            conversation[1].GetProperty("content").GetString());
        Assert.Equal(File.ReadAllText(Path.Combine(prompts, "conversation", "000_conv.txt")),
            conversation[2].GetProperty("content").GetString());
        Assert.Equal(File.ReadAllText(Path.Combine(prompts, "conversation", "001_conv.txt")),
            conversation[4].GetProperty("content").GetString());
        Assert.Equal("user", conversation[5].GetProperty("role").GetString());
        // Image 78499 (the lowest id of the five): captions only for the conversation task.
        string captionsOnly = conversation[5].GetProperty("content").GetString()!;
        Assert.DoesNotContain(": [", captionsOnly, StringComparison.Ordinal);
        var complex = requests.Single(m =>
            m[0].GetProperty("content").GetString() == File.ReadAllText(Path.Combine(prompts, "complex_reasoning", "system_message.txt")));
        Assert.Equal(8, complex.GetArrayLength());
        string withBoxes = complex[7].GetProperty("content").GetString()!;
        Assert.StartsWith(captionsOnly + "\n\n", withBoxes, StringComparison.Ordinal);
        Assert.Matches(@"\n[a-z ]+: \[[0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+\]", withBoxes);

        using var reader = JsonRecordReader.Open(temp.File("out", "llava-instruct", "conversation.json"));
        var sample = Assert.Single(JsonRecords.Read(reader, FormatsJsonContext.Default.LlavaSample).ToList());
        Assert.Equal("000000078499", sample.Id);
        Assert.Equal(["<image>\nWhat is in the room?", "Decorations for a holiday.", "What colour is the carpet?", "Red."],
            sample.Conversations.Select(t => t.Value));
    }
}
