using System.Text.Json;
using VisInstruct.Annotations;
using VisInstruct.Backends.Llm;
using VisInstruct.Recipes.Annotated;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes;

/// <summary>
/// SVIT's context against the model's window: the whole context when nothing limits it; cut (smallest boxes first)
/// only as far as a window reported by the server (vLLM's <c>max_model_len</c>, llama.cpp's <c>/props</c>) or set in
/// <c>llm.context_tokens</c> requires, with every request inside the window and the cuts in the card and stats.json.
/// </summary>
public class ContextWindowTests
{
    private const int MaxTokens = 512;

    private sealed record Run(LoopbackServer Server, string Out, JsonElement Stats, string Card);

    private static async Task<Run> Generate(TempDir temp, string? models, string? props = null, string llmExtra = "")
    {
        var server = await GuidedDecodingServer.StartAsync(ServerBehaviour.SchemaStrict, "writer", seed: 2, models: models, props: props);
        string config = temp.Write("llm.yaml", File.ReadAllText(AnnotatedRecipeOfflineTests.VgConfig(temp))
            + $"\nllm:\n  endpoints: [{server.BaseUrl}v1]\n  model: writer\n  max_tokens: {MaxTokens}\n{llmExtra}");
        var result = CliRunner.Run("generate", "--recipe", "svit", "--out", temp.File("out"), "--config", config, "--tasks",
            "detail_description,referring_qa",
            "--seed", "1", "--quiet");
        string failures = File.Exists(temp.File("out", "failures.jsonl"))
            ? string.Join("\n", File.ReadLines(temp.File("out", "failures.jsonl")).Take(2)) : "";
        Assert.True(result.ExitCode == 0, result.Error + result.Out + failures);
        using var stats = JsonDocument.Parse(File.ReadAllText(temp.File("out", "stats.json")));
        return new Run(server, temp.File("out"), stats.RootElement.Clone(), File.ReadAllText(temp.File("out", "README.md")));
    }

    /// <summary>Each chat request's size as counted locally, with the headroom the recipe gives other tokenizers, plus the answer's
    /// room.</summary>
    private static List<int> RequestSizes(LoopbackServer server) => server.To("/v1/chat/completions").Select(r =>
    {
        using var body = JsonDocument.Parse(r.Body);
        return body.RootElement.GetProperty("messages").EnumerateArray()
            .Sum(m =>
                (int)Math.Ceiling(LocalTokenCounter.Count(GuidedDecodingServer.Text(m)) * AnnotatedPipeline.TokenizerHeadroom)
                + AnnotatedPipeline.MessageOverhead)
            + body.RootElement.GetProperty("max_tokens").GetInt32();
    }).ToList();

    /// <summary>The object lines image 1's context has when nothing is cut.</summary>
    private static int WholeObjectLines()
    {
        var files = new VisInstruct.Annotations.AnnotationFiles
        {
            VgImageData = Paths.Reference("vg", "image_data.first2.json"),
            VgObjects = Paths.Reference("vg", "objects.first2.json"),
            VgRegions = Paths.Reference("vg", "region_descriptions.first2.json"),
            VgAttributes = Paths.Reference("vg", "attributes.first2.json"),
        };
        using var set = AnnotationSet.OpenVisualGenome(files);
        var whole = SvitContext.Build(set.Load(1));
        Assert.False(whole.Cut);
        return ObjectLines(whole.Text);
    }

    private static int ObjectLines(string context)
    {
        var lines = context.Split('\n');
        int start = Array.IndexOf(lines, "(2) objects:");
        int end = Array.IndexOf(lines, "(3) regions:");
        return end - start - 1;
    }

    private static string ImageOneContext(LoopbackServer server) => server.To("/v1/chat/completions")
        .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("messages"))
        .Select(m => GuidedDecodingServer.Text(m[m.GetArrayLength() - 1]))
        .First(t => t.Contains("clock: [", StringComparison.Ordinal));

    [Fact]
    public async Task NoWindowReported_SendsTheWholeContext()
    {
        using var temp = new TempDir();
        var run = await Generate(temp, models: null);
        await using var _ = run.Server;
        Assert.Equal(0, run.Stats.GetProperty("context").GetProperty("cut").GetInt64());
        Assert.Equal(WholeObjectLines(), ObjectLines(ImageOneContext(run.Server)));
        Assert.Contains("Model window: not reported by the server (contexts sent whole)", run.Card, StringComparison.Ordinal);
        Assert.Contains("Every annotation context was sent whole.", run.Card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VllmMaxModelLen_CutsOnlyAsTheWindowNeeds_AndNoRequestIsLarger()
    {
        using var temp = new TempDir();
        const int window = 3000;
        var run = await Generate(temp, $"{{\"object\": \"list\", \"data\": [{{\"id\": \"writer\", \"object\": \"model\", \"owned_by\": "
            + $"\"vllm\", \"max_model_len\": {window}}}]}}");
        await using var _ = run.Server;
        var context = run.Stats.GetProperty("context");
        Assert.True(context.GetProperty("cut").GetInt64() > 0);
        Assert.Equal(4, context.GetProperty("window").GetProperty($"{window} tokens (reported by the server)").GetInt64());
        Assert.All(RequestSizes(run.Server), size => Assert.True(size <= window, $"a request of {size} tokens for a window of {window}"));
        int kept = ObjectLines(ImageOneContext(run.Server));
        Assert.InRange(kept, 1, WholeObjectLines() - 1);
        Assert.Contains($"Model window: {window} tokens (reported by the server)", run.Card, StringComparison.Ordinal);
        Assert.Contains("Contexts cut to fit:", run.Card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LlamaCppProps_GiveTheServedContext_OverTheTrainingLength()
    {
        using var temp = new TempDir();
        var run = await Generate(temp,
            "{\"object\": \"list\", \"data\": [{\"id\": \"writer\", \"object\": \"model\", \"owned_by\": \"llamacpp\", \"meta\": "
                + "{\"n_vocab\": 151936, \"n_ctx_train\": 32768, \"n_params\": 7615616512}}]}",
            props: "{\"default_generation_settings\": {\"n_ctx\": 3200}, \"total_slots\": 1}");
        await using var _ = run.Server;
        Assert.True(run.Stats.GetProperty("context").GetProperty("cut").GetInt64() > 0);
        Assert.All(RequestSizes(run.Server), size => Assert.True(size <= 3200, $"a request of {size} tokens for a window of 3200"));
        Assert.Contains("Model window: 3200 tokens (reported by the server)", run.Card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LlmContextTokens_OverridesTheServersWindow()
    {
        using var temp = new TempDir();
        var run = await Generate(temp, "{\"object\": \"list\", \"data\": [{\"id\": \"writer\", \"max_model_len\": 131072}]}",
            llmExtra: "  context_tokens: 2800\n");
        await using var _ = run.Server;
        Assert.True(run.Stats.GetProperty("context").GetProperty("cut").GetInt64() > 0);
        Assert.All(RequestSizes(run.Server), size => Assert.True(size <= 2800, $"a request of {size} tokens for a window of 2800"));
        Assert.Contains("Model window: 2800 tokens (llm.context_tokens)", run.Card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWindowTooSmallForThePrompt_FailsTheItemsWithTheReason_AndSendsNothing()
    {
        using var temp = new TempDir();
        await using var server = await GuidedDecodingServer.StartAsync(ServerBehaviour.SchemaStrict, "writer",
            models: "{\"object\": \"list\", \"data\": [{\"id\": \"writer\", \"max_model_len\": 900}]}");
        string config = temp.Write("llm.yaml",
            File.ReadAllText(AnnotatedRecipeOfflineTests.VgConfig(temp))
            + $"\nllm:\n  endpoints: [{server.BaseUrl}v1]\n  model: writer\n  max_tokens: {MaxTokens}\n");
        var result = CliRunner.Run("generate", "--recipe", "svit", "--out", temp.File("out"), "--config", config, "--tasks", "referring_qa",
            "--quiet");
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(server.To("/v1/chat/completions"));
        Assert.All(File.ReadAllLines(temp.File("out", "failures.jsonl")), line =>
        {
            Assert.Contains("\"kind\": \"context-window\"", line, StringComparison.Ordinal);
            Assert.Contains("window of 900 tokens", line, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("{\"data\": [{\"id\": \"m\", \"max_model_len\": 8192}]}", 8192)]
    [InlineData("{\"data\": [{\"id\": \"m\", \"context_length\": 4096}]}", 4096)]
    [InlineData("{\"data\": [{\"id\": \"m\", \"context_window\": 16384}]}", 16384)]
    [InlineData("{\"data\": [{\"id\": \"other\", \"max_model_len\": 100}, {\"id\": \"m\", \"max_model_len\": 2048}]}", 2048)]
    [InlineData("{\"data\": [{\"id\": \"m\", \"object\": \"model\", \"owned_by\": \"library\"}]}", null)]
    [InlineData("{\"data\": [{\"id\": \"m\", \"max_model_len\": \"not a number\"}]}", null)]
    public void ModelsAnswers_GiveTheWindowTheyReport(string body, int? expected) =>
        Assert.Equal(expected, ModelWindow.FromModels(body, "m").Window);
}
