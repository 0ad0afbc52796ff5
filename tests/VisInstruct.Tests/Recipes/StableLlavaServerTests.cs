using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using VisInstruct.Formats;
using VisInstruct.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes;

public partial class StableLlavaServerTests
{

    /// <summary>
    /// One OpenAI-compatible double that plays the three roles the recipe gives LLMs, told apart by their system
    /// message: the prompt writer (scripted batches), the dialogue writer (turns as the instruction asks), the vision
    /// checker (scripted answers).
    /// </summary>
    private sealed class Roles
    {
        public ConcurrentQueue<string> PromptBatches { get; } = new();

        public Func<string, int, string> Vision { get; set; } = (_, _) => "yes";

        public ConcurrentDictionary<string, int> VisionCalls { get; } = new();

        public string Answer(JsonElement request)
        {
            var messages = request.GetProperty("messages");
            string system = messages[0].GetProperty("content").GetString()!;
            string user = Text(messages[messages.GetArrayLength() - 1]);
            if (system.StartsWith("You write prompts", StringComparison.Ordinal))
            {
                return PromptBatches.TryDequeue(out var batch) ? batch : "{\"prompts\": []}";
            }

            if (system.StartsWith("You write short training conversations", StringComparison.Ordinal))
            {
                int turns = user.Contains("Write one turn", StringComparison.Ordinal) ? 1 : 3;
                string yesNo = YesNo().Match(user) is { Success: true } m ? m.Groups[1].Value + ", " : "";
                var list = Enumerable.Range(0, turns)
                    .Select(i => new { question = $"<image>\nQuestion {i + 1} about it?", answer = $"{yesNo}answer {i + 1}." }).ToList();
                return JsonSerializer.Serialize(new { turns = list });
            }

            int n = VisionCalls.AddOrUpdate(user, 1, (_, c) => c + 1);
            return Vision(user, n);
        }

        private static string Text(JsonElement message)
        {
            var content = message.GetProperty("content");
            return content.ValueKind == JsonValueKind.String ? content.GetString()! : content[0].GetProperty("text").GetString()!;
        }
    }

    [GeneratedRegex("starts with \"(Yes|No)\"")]
    private static partial Regex YesNo();

    private static async Task<LoopbackServer> ChatServer(Roles roles) => await LoopbackServer.StartAsync(async (context, request) =>
    {
        if (request.Path == "/v1/models")
        {
            await context.Json("{\"object\": \"list\", \"data\": [{\"id\": \"writer\"}, {\"id\": \"vlm\"}]}");
            return;
        }

        using var body = JsonDocument.Parse(request.Body);
        await context.Json(FakeChatServer.Completion("writer", roles.Answer(body.RootElement), usage: true));
    });

    private static Task<LoopbackServer> A1111() => A1111Double.StartAsync();

    private static string Prompts(params (string Subject, string Attribute, string Context)[] prompts) =>
        JsonSerializer.Serialize(new {
            prompts = prompts.Select(p =>
            new { subject = p.Subject, attribute = p.Attribute, context = p.Context,
            modifiers = new[] { "realistic", "detailed shading" } }) });

    private static string Config(TempDir temp, LoopbackServer chat, LoopbackServer images, bool vision, string extra = "") =>
        temp.Write("run.yaml", $"""
        llm:
          endpoints: [{chat.BaseUrl}v1]
          model: writer
          temperature: 0.8
        {(vision ? $"vision:\n  endpoints: [{chat.BaseUrl}v1]\n  model: vlm\n" : "")}images:
          backend: a1111
          endpoints: [{images.BaseUrl}]
          width: 512
          height: 512
          steps: 20
        stablellava:
          lane_size: 4
          batch_size: 2
        {extra}
        """);

    [Fact]
    public async Task EveryStage_SendsItsRequest_AndTheUpdateLoopFeedsAcceptedPromptsBack()
    {
        using var temp = new TempDir();
        var roles = new Roles();
        // Batch 1: an exact copy of a seed example from abilities.yaml ("peacock in a garden", same modifiers), turned
        // away, and a fox; batch 2: two more; batch 3: a repeat of the fox that differs only in punctuation (exact
        // after normalising) and a near-duplicate of the owl, both turned away; batch 4: the last one.
        roles.PromptBatches.Enqueue(Prompts(("peacock", "", "garden"), ("red fox", "", "snowy forest")));
        roles.PromptBatches.Enqueue(Prompts(("barn owl", "", "old barn at dusk"), ("sea otter", "", "kelp forest")));
        roles.PromptBatches.Enqueue(Prompts(("Red fox", "", "snowy forest."), ("barn owl", "", "old red barn at dusk")));
        roles.PromptBatches.Enqueue(Prompts(("hedgehog", "", "autumn leaves")));
        await using var chat = await ChatServer(roles);
        await using var images = await A1111();
        string config = Config(temp, chat, images, vision: false);

        var result = CliRunner.Run("generate", "--out", temp.File("out"), "--config", config, "--abilities", "animal", "--count", "4",
            "--seed", "5", "--quiet");
        Assert.True(result.ExitCode == 0, result.Error + result.Out);

        var chats = chat.To("/v1/chat/completions").Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        var writer = chats.Where(c =>
            c.GetProperty("messages")[0].GetProperty("content").GetString()!.StartsWith("You write prompts", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(4, writer.Count);
        string firstUser = writer[0].GetProperty("messages")[1].GetProperty("content").GetString()!;
        Assert.Contains("Ability: Recognising animals.", firstUser, StringComparison.Ordinal);
        Assert.Contains("Write 2 new prompts as JSON", firstUser, StringComparison.Ordinal);
        Assert.Equal("prompts", writer[0].GetProperty("response_format").GetProperty("json_schema").GetProperty("name").GetString());
        Assert.Equal("writer", writer[0].GetProperty("model").GetString());
        Assert.Equal(0.8, writer[0].GetProperty("temperature").GetDouble(), 3);
        Assert.True(writer[0].TryGetProperty("seed", out _));
        // The update loop: a later request shows prompts accepted earlier among its examples (the pool holds 2 seed
        // examples and what the lane accepted, 5 shown at most).
        Assert.DoesNotContain("red fox", firstUser, StringComparison.Ordinal);
        Assert.Contains(writer.Skip(1), w =>
            w.GetProperty("messages")[1].GetProperty("content")
            .GetString()!.Contains("\"subject\": \"red fox\"", StringComparison.Ordinal));

        var txt2img = images.To("/sdapi/v1/txt2img").Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("prompt").GetString())
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["((Barn owl)), old barn at dusk, realistic, detailed shading",
            "((Hedgehog)), autumn leaves, realistic, detailed shading",
            "((Red fox)), snowy forest, realistic, detailed shading", "((Sea otter)), kelp forest, realistic, detailed shading"], txt2img);

        var dialogues = chats.Where(c =>
            c.GetProperty("messages")[0].GetProperty("content")
            .GetString()!.StartsWith("You write short training", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, dialogues.Count);
        Assert.All(dialogues, d => Assert.Equal("assistant", d.GetProperty("messages")[2].GetProperty("role").GetString()));
        Assert.Contains(dialogues, d =>
            d.GetProperty("messages")[3].GetProperty("content")
            .GetString()!.StartsWith("The image shows: a red fox, snowy forest", StringComparison.Ordinal));

        string card = File.ReadAllText(temp.File("out", "README.md"));
        Assert.Contains("4 prompt requests; turned away 2 exact and 1 near duplicates", card, StringComparison.Ordinal);

        using var reader = JsonRecordReader.Open(temp.File("out", "llava.json"));
        var samples = JsonRecords.Read(reader, FormatsJsonContext.Default.LlavaSample).ToList();
        Assert.Equal(4, samples.Count);
        Assert.All(samples, s => Assert.Single(s.Conversations, t => t.Value.Contains("<image>", StringComparison.Ordinal)));
        Assert.Equal(0, CliRunner.Run("lint", temp.File("out", "llava.json"), "--image-folder", temp.File("out")).ExitCode);
    }

    [Fact]
    public async Task Check_ReRendersWithANewSeed_ThenDropsWithTheReason()
    {
        using var temp = new TempDir();
        temp.Write("abilities.yaml", "abilities:\n  color:\n    group: physical_attributes\n    description: Recognising colours.\n    "
            + "subjects: [{name: kite, color: red}]\n    kinds: [color_name]\n    procedural: color\n");
        var roles = new Roles();
        roles.PromptBatches.Enqueue(Prompts(("kite", "red", "beach"), ("umbrella", "green", "rainy street")));
        // The kite is seen as red only at the second look (after one re-render); the umbrella never looks green.
        roles.Vision = (question, n) => !question.Contains("colour", StringComparison.Ordinal) ? "Yes."
            : question.Contains("kite", StringComparison.Ordinal) ? (n >= 2 ? "Red." : "Blue.") : "Purple.";
        await using var chat = await ChatServer(roles);
        await using var images = await A1111();
        string config =
            Config(temp, chat, images, vision: true, extra: "  abilities_file: abilities.yaml\n  lane_size: 2\n  check_retries: 1\n");
        // Config() returns the file's path: the default lane_size is taken out of the file itself (a key twice is refused).
        File.WriteAllText(config, File.ReadAllText(config).Replace("  lane_size: 4\n", "", StringComparison.Ordinal));
        var result = CliRunner.Run("generate", "--out", temp.File("out"), "--config", config, "--abilities", "color", "--count", "2",
            "--quiet", "--max-failure-ratio", "1");
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("dropped at check: check-mismatch x1", result.Out, StringComparison.Ordinal);

        var seeds = images.To("/sdapi/v1/txt2img").Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(2, seeds.Count(s => s.GetProperty("prompt").GetString()!.Contains("Red-kite", StringComparison.Ordinal)));
        Assert.Equal(2,
            seeds.Where(s => s.GetProperty("prompt").GetString()!.Contains("Red-kite", StringComparison.Ordinal))
            .Select(s => s.GetProperty("seed").GetInt64()).Distinct().Count());
        string failure = Assert.Single(File.ReadAllLines(temp.File("out", "failures.jsonl")));
        Assert.Contains("\"kind\": \"check-mismatch\"", failure, StringComparison.Ordinal);
        Assert.Contains("the vision model answered \\\"Purple.\\\" after 1 re-render(s)", failure, StringComparison.Ordinal);
        Assert.Contains("Red-kite", File.ReadAllText(temp.File("out", "stablellava", "color.json")), StringComparison.Ordinal);
        Assert.Equal(2,
            roles.VisionCalls.Single(c =>
            c.Key.Contains("colour", StringComparison.Ordinal) && c.Key.Contains("kite", StringComparison.Ordinal)).Value);
    }
}
