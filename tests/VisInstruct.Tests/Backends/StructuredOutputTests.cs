using System.Text.Json;
using VisInstruct.Backends.Llm;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Backends;

/// <summary>Structured output against servers as they are: the schema as sent, the fallback per endpoint, reasoning, JSON in prose.</summary>
public class StructuredOutputTests
{
    private const string Model = "writer";

    private static readonly LlmSchema Counted = new("verdict", JsonDocument.Parse("""
        {"type": "object", "properties": {"answer": {"type": "string", "enum": ["yes", "no"]}, "confidence": {"type": "integer", "minimum": 1, "maximum": 5},
         "reasons": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 20}, "minItems": 2, "maxItems": 2}},
         "required": ["answer", "confidence", "reasons"], "additionalProperties": false}
        """).RootElement.Clone());

    private static (PooledChatClient Client, LlmService Service) Create(params LoopbackServer[] servers)
    {
        var client = new PooledChatClient(new ChatEndpointsOptions
        {
            Endpoints = servers.Select(s => new Uri(s.BaseUrl, "v1/")).ToList(),
            Model = Model,
            Retries = 0,
            RequestTimeout = TimeSpan.FromSeconds(10),
        });
        return (client, new LlmService(client, new LlmServiceOptions { Model = Model, MaxTokens = 64 }));
    }

    private static LlmRequest Ask(int n) => new() { Messages = [LlmMessage.System("You judge."), LlmMessage.User($"Question {n}?")], Seed = (ulong)n };

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
        Assert.Equal([new EndpointOutputMode("llm", new Uri(server.BaseUrl, "v1/").ToString(), "json_schema", null)], service.OutputModes());
    }
}
