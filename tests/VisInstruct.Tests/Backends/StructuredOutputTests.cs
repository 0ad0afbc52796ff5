using System.Text.Json;
using Microsoft.Extensions.AI;
using VisInstruct.Backends.Llm;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Backends;

/// <summary>Structured output against servers as they are: the schema as sent, the fallback per endpoint, reasoning, JSON in
/// prose.</summary>
public class StructuredOutputTests
{
    private const string Model = "writer";

    private static readonly LlmSchema Counted = new("verdict", JsonDocument.Parse("""
        {"type": "object", "properties": {"answer": {"type": "string", "enum": ["yes", "no"]}, "confidence": {"type": "integer",
        """
        + """
         "minimum": 1, "maximum": 5},
         "reasons": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 20}, "minItems": 2, "maxItems": 2}},
         "required": ["answer", "confidence", "reasons"], "additionalProperties": false}
        """).RootElement.Clone());

    private static (IChatClient Client, LlmService Service) Create(params LoopbackServer[] servers)
    {
        var client = ChatBackend.Build(new ChatEndpointsOptions
        {
            Endpoints = servers.Select(s => new Uri(s.BaseUrl, "v1/")).ToList(),
            Model = Model,
            Retries = 0,
            RequestTimeout = TimeSpan.FromSeconds(10),
        });
        return (client, new LlmService(client, new LlmServiceOptions { Model = Model, MaxTokens = 64 }));
    }

    private static LlmRequest Ask(int n) =>
        new() { Messages = [LlmMessage.System("You judge."), LlmMessage.User($"Question {n}?")], Seed = (ulong)n };

    [Fact]
    public async Task TheSchema_GoesToTheServerWithItsCountsEnumsAndLengths()
    {
        await using var server = await GuidedDecodingServer.StartAsync(ServerBehaviour.SchemaStrict, Model, seed: 1);
        var (client, service) = Create(server);
        using var owned = client;
        var verdict = await service.CompleteJsonAsync("k", TestGateway.Create(out _), Ask(1), Counted, TestJsonContext.Default.Verdict);
        Assert.Contains(verdict.Answer, new[] { "yes", "no" });
        Assert.InRange(verdict.Confidence, 1, 5);
        using var sent = JsonDocument.Parse(Assert.Single(server.To("/v1/chat/completions")).Body);
        var schema = sent.RootElement.GetProperty("response_format").GetProperty("json_schema").GetProperty("schema");
        var reasons = schema.GetProperty("properties").GetProperty("reasons");
        Assert.Equal(2, reasons.GetProperty("minItems").GetInt32());
        Assert.Equal(2, reasons.GetProperty("maxItems").GetInt32());
        Assert.Equal(20, reasons.GetProperty("items").GetProperty("maxLength").GetInt32());
        Assert.Equal(2, schema.GetProperty("properties").GetProperty("answer").GetProperty("enum").GetArrayLength());
        Assert.Equal([new EndpointOutputMode("llm", new Uri(server.BaseUrl, "v1/").ToString(), "json_schema", null)],
            service.OutputModes());
    }

    private static string? Format(RecordedRequest request)
    {
        using var body = JsonDocument.Parse(request.Body);
        return body.RootElement.TryGetProperty("response_format", out var format) ? format.GetProperty("type").GetString() : null;
    }

    private static string LastUser(RecordedRequest request)
    {
        using var body = JsonDocument.Parse(request.Body);
        var messages = body.RootElement.GetProperty("messages");
        return GuidedDecodingServer.Text(messages[messages.GetArrayLength() - 1]);
    }

    [Fact]
    public async Task AServerThatRefusesBothFormats_IsNoticedOnce_ThenAskedByInstructionWithTheSchemaInThePrompt()
    {
        await using var server = await GuidedDecodingServer.StartAsync(ServerBehaviour.RefusesFormat, Model, seed: 3);
        var (client, service) = Create(server);
        using var owned = client;
        var gateway = TestGateway.Create(out _);
        for (int i = 0; i < 6; i++)
        {
            var verdict = await service.CompleteJsonAsync("k" + i, gateway, Ask(i), Counted, TestJsonContext.Default.Verdict);
            Assert.InRange(verdict.Confidence, 1, 5);
        }

        var requests = server.To("/v1/chat/completions");
        // One json_schema refusal and one json_object refusal, then six plain requests.
        Assert.Equal(["json_schema", "json_object", null, null, null, null, null, null], requests.Select(Format));
        Assert.Contains("\"minItems\":2", LastUser(requests[^1]).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.StartsWith("Question 5?", LastUser(requests[^1]), StringComparison.Ordinal);
        var mode = Assert.Single(service.OutputModes());
        Assert.Equal("instructions", mode.Mode);
        Assert.Contains("json_object refused", mode.Reason, StringComparison.Ordinal);
        Assert.True(service.StructuredOutputRejected);
    }

    [Fact]
    public async Task AServerThatRefusesOnlyJsonSchema_GetsJsonObject_AndEachEndpointKeepsItsOwnMode()
    {
        await using var refusing = await FakeChatServer.StartAsync(Model, request => Format(request) == "json_schema"
            ? ChatBehaviour.BadRequest("json_schema response format is not supported; use json_object")
            : ChatBehaviour.Reply("{\"answer\": \"yes\", \"confidence\": 4, \"reasons\": [\"a\", \"b\"]}"));
        await using var strict = await GuidedDecodingServer.StartAsync(ServerBehaviour.SchemaStrict, Model, seed: 4);
        var (client, service) = Create(refusing, strict);
        using var owned = client;
        var gateway = TestGateway.Create(out _);
        await Task.WhenAll(Enumerable.Range(0, 12)
            .Select(i => service.CompleteJsonAsync("k" + i, gateway, Ask(i), Counted, TestJsonContext.Default.Verdict)));

        var sentToRefusing = refusing.To("/v1/chat/completions").Select(Format).ToList();
        Assert.Equal(1, sentToRefusing.Count(f => f == "json_schema"));
        Assert.All(sentToRefusing.Skip(1), f => Assert.Equal("json_object", f));
        Assert.All(strict.To("/v1/chat/completions"), r => Assert.Equal("json_schema", Format(r)));
        var modes = service.OutputModes().ToDictionary(m => m.Endpoint, m => m.Mode);
        Assert.Equal("json_object", modes[new Uri(refusing.BaseUrl, "v1/").ToString()]);
        Assert.Equal("json_schema", modes[new Uri(strict.BaseUrl, "v1/").ToString()]);
    }

    [Fact]
    public async Task AServerThatIgnoresTheFormat_IsReadThroughItsProse_AndThenAskedByInstruction()
    {
        await using var server = await GuidedDecodingServer.StartAsync(ServerBehaviour.IgnoresFormat, Model, seed: 5);
        var (client, service) = Create(server);
        using var owned = client;
        var gateway = TestGateway.Create(out _);
        for (int i = 0; i < 3; i++)
        {
            var verdict = await service.CompleteJsonAsync("k" + i, gateway, Ask(i), Counted, TestJsonContext.Default.Verdict);
            Assert.Contains(verdict.Answer, new[] { "yes", "no" });
        }

        var requests = server.To("/v1/chat/completions");
        Assert.Equal("json_schema", Format(requests[0]));
        Assert.All(requests.Skip(1), r => Assert.Null(Format(r)));
        Assert.True(LastUser(requests[^1]).Contains("JSON schema", StringComparison.Ordinal),
            string.Join("\n=====\n", requests.Select(r => r.Text)));
        var mode = Assert.Single(service.OutputModes());
        Assert.Equal("instructions", mode.Mode);
        Assert.Contains("not followed", mode.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReasoningModel_HasItsThinkingDropped_FromJsonAndFromText()
    {
        await using var server = await GuidedDecodingServer.StartAsync(ServerBehaviour.Reasoning, Model, seed: 6);
        var (client, service) = Create(server);
        using var owned = client;
        var gateway = TestGateway.Create(out _);
        var verdict = await service.CompleteJsonAsync("k", gateway, Ask(1), Counted, TestJsonContext.Default.Verdict);
        Assert.InRange(verdict.Confidence, 1, 5);
        var reply = await service.CompleteAsync("t", gateway, new LlmRequest { Messages = [LlmMessage.User("Say something.")] });
        Assert.DoesNotContain(GuidedDecodingServer.ReasoningMarker, reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("think>", reply.Text, StringComparison.Ordinal);
        Assert.NotEmpty(reply.Text);
        // A reasoning model that answers with JSON right after its thinking is following the format.
        Assert.Equal("json_schema", Assert.Single(service.OutputModes()).Mode);
    }

    [Theory]
    [InlineData("<think>\nplan it\n</think>\n\nThe answer.", "The answer.")]
    [InlineData("  <THINKING>a</THINKING> <think>b</think>Two blocks.", "Two blocks.")]
    [InlineData("reasoning opened by the template</think>\nAfter.", "After.")]
    [InlineData("<think>cut off by max_tokens, never closed", "")]
    [InlineData("No reasoning at all.", "No reasoning at all.")]
    [InlineData("Text that mentions <think> later stays.", "Text that mentions <think> later stays.")]
    public void Reasoning_IsDroppedFromTheAnswer(string text, string expected) => Assert.Equal(expected, ReplyText.WithoutReasoning(text));

    [Theory]
    [InlineData("Sure {as you asked}! Here it is:\n{\"answer\": \"no\", \"confidence\": 2, \"reasons\": [\"x\", \"y\"]}\nAnything else?")]
    [InlineData("Here you go:\n```json\n{\"answer\": \"no\", \"confidence\": 2, \"reasons\": [\"x\", \"y\"],}\n```\nDone.")]
    [InlineData("<think>{\"answer\": \"yes\"}</think>{\"answer\": \"no\", \"confidence\": 2, \"reasons\": [\"x\", \"y\"]}")]
    public void Json_IsFoundInProseFencesAndAfterReasoning(string text)
    {
        Assert.True(JsonAnswer.TryRead(text, TestJsonContext.Default.Verdict, null, out var verdict, out string reason), reason);
        Assert.Equal(("no", 2), (verdict.Answer, verdict.Confidence));
    }

    [Theory]
    [InlineData("response_format json_schema is not supported by this server", true)]
    [InlineData("Invalid parameter: 'response_format' of type 'json_object' is not supported with this model.", true)]
    [InlineData("JSON schema conversion failed: unsupported keyword", true)]
    [InlineData("The provided JSON schema contains features not supported by xgrammar.", true)]
    [InlineData("This model's maximum context length is 4096 tokens.", false)]
    [InlineData("temperature must be between 0 and 2", false)]
    public void ARefusalOfTheFormat_IsToldFromOtherBadRequests(string message, bool refuses) =>
        Assert.Equal(refuses, StructuredModes.RefusesFormat(message));
}
