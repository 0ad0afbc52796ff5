using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using VisInstruct.Backends;
using VisInstruct.Backends.Llm;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Backends;

public sealed record Verdict(string Answer, int Confidence);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Verdict))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

public class LlmClientTests
{
    private const string Model = "Qwen2.5-7B-Instruct";

    private static (IChatClient Client, LlmService Service) Create(IEnumerable<LoopbackServer> servers, int retries = 3,
        TimeSpan? timeout = null,
        bool localMedia = false, string? apiKey = null)
    {
        var client = ChatBackend.Build(new ChatEndpointsOptions
        {
            Endpoints = servers.Select(s => new Uri(s.BaseUrl, "v1/")).ToList(),
            Model = Model,
            ApiKey = apiKey,
            Retries = retries,
            RetryDelay = TimeSpan.FromMilliseconds(20),
            RequestTimeout = timeout ?? TimeSpan.FromSeconds(10),
        });
        return (client,
            new LlmService(client,
            new LlmServiceOptions { Model = Model, Temperature = 0.7, TopP = 0.9, MaxTokens = 64, LocalMedia = localMedia }));
    }

    private static LlmRequest Hello(ulong seed = 42) => new()
    {
        Messages = [LlmMessage.System("You write captions."), LlmMessage.User("Describe a red square.")],
        Seed = seed,
    };

    [Fact]
    public async Task Request_IsExactlyTheOpenAiChatJson()
    {
        await using var server = await FakeChatServer.StartAsync(Model, ChatBehaviour.Reply("A red square."));
        var (client, service) = Create([server], apiKey: "secret-key");
        using var owned = client;
        var reply = await service.CompleteAsync("item/1", TestGateway.Create(out var ledger), Hello());

        Assert.Equal("A red square.", reply.Text);
        var request = Assert.Single(server.To("/v1/chat/completions"));
        Assert.Equal("Bearer secret-key", request.Headers["Authorization"]);
        using var sent = JsonDocument.Parse(request.Body);
        using var expected = JsonDocument.Parse("""
            {"messages": [{"role": "system", "content": "You write captions."}, {"role": "user", "content": "Describe a red square."}],
             "model": "Qwen2.5-7B-Instruct", "temperature": 0.7, "top_p": 0.9, "seed": 42, "max_tokens": 64}
            """);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, sent.RootElement), request.Text);
        var usage = Assert.Single(ledger.ThisRun());
        Assert.Equal((11, 7, 1), (usage.InputTokens, usage.OutputTokens, usage.Requests));
    }

    [Fact]
    public async Task RateLimited_WaitsForRetryAfterThenSucceeds()
    {
        await using var server = await FakeChatServer.StartAsync(Model, ChatBehaviour.RateLimited(1), ChatBehaviour.Reply("done"));
        var (client, service) = Create([server]);
        using var owned = client;
        var watch = Stopwatch.StartNew();
        var reply = await service.CompleteAsync("k", TestGateway.Create(out _), Hello());
        Assert.Equal("done", reply.Text);
        Assert.Equal(2, server.To("/v1/chat/completions").Count);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {watch.Elapsed}");
        var state = Assert.Single(client.GetService<PooledChatClient>()!.Pool.States());
        Assert.Equal(32, state.Limit);
    }

    [Fact]
    public async Task ServerError_IsRetried_ThenRecordedWithItsKindAndAttempts()
    {
        await using var flaky = await FakeChatServer.StartAsync(Model, ChatBehaviour.ServerError(), ChatBehaviour.Reply("recovered"));
        var (client, service) = Create([flaky]);
        using (client)
        {
            Assert.Equal("recovered", (await service.CompleteAsync("k", TestGateway.Create(out _), Hello())).Text);
        }

        await using var broken = await FakeChatServer.StartAsync(Model, ChatBehaviour.ServerError());
        var (client2, service2) = Create([broken], retries: 2);
        using var owned2 = client2;
        var error = await Assert.ThrowsAsync<BackendException>(() => service2.CompleteAsync("k", TestGateway.Create(out _), Hello()));
        Assert.Equal("http-500", error.KindName);
        Assert.Equal(3, error.Attempts);
        Assert.Contains("CUDA out of memory", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, broken.To("/v1/chat/completions").Count);
    }

    [Fact]
    public async Task SlowPastTheTimeout_IsATimeoutAndIsRetried()
    {
        await using var server =
            await FakeChatServer.StartAsync(Model, ChatBehaviour.Slow(TimeSpan.FromSeconds(5), "late"), ChatBehaviour.Reply("on time"));
        var (client, service) = Create([server], timeout: TimeSpan.FromMilliseconds(400));
        using var owned = client;
        Assert.Equal("on time", (await service.CompleteAsync("k", TestGateway.Create(out _), Hello())).Text);

        await using var slow = await FakeChatServer.StartAsync(Model, ChatBehaviour.Slow(TimeSpan.FromSeconds(5), "late"));
        var (client2, service2) = Create([slow], retries: 1, timeout: TimeSpan.FromMilliseconds(300));
        using var owned2 = client2;
        var error = await Assert.ThrowsAsync<BackendException>(() => service2.CompleteAsync("k", TestGateway.Create(out _), Hello()));
        Assert.Equal("timeout", error.KindName);
    }

    [Fact]
    public async Task MalformedJson_AndDroppedConnections_AreRetried()
    {
        await using var server =
            await FakeChatServer.StartAsync(Model, ChatBehaviour.Malformed(), ChatBehaviour.Drop(), ChatBehaviour.Reply("fine"));
        var (client, service) = Create([server]);
        using var owned = client;
        Assert.Equal("fine", (await service.CompleteAsync("k", TestGateway.Create(out _), Hello())).Text);
        Assert.Equal(3, server.To("/v1/chat/completions").Count);

        await using var garbage = await FakeChatServer.StartAsync(Model, ChatBehaviour.Malformed());
        var (client2, service2) = Create([garbage], retries: 1);
        using var owned2 = client2;
        Assert.Equal("bad-response",
            (await Assert.ThrowsAsync<BackendException>(() => service2.CompleteAsync("k", TestGateway.Create(out _), Hello()))).KindName);

        await using var dropping = await FakeChatServer.StartAsync(Model, ChatBehaviour.Drop());
        var (client3, service3) = Create([dropping], retries: 1);
        using var owned3 = client3;
        Assert.Equal("connection",
            (await Assert.ThrowsAsync<BackendException>(() => service3.CompleteAsync("k", TestGateway.Create(out _), Hello()))).KindName);
    }

    [Fact]
    public async Task BadRequest_IsNotRetried()
    {
        await using var server =
            await FakeChatServer.StartAsync(Model, ChatBehaviour.BadRequest("This model's maximum context length is 4096 tokens"));
        var (client, service) = Create([server]);
        using var owned = client;
        var error = await Assert.ThrowsAsync<BackendException>(() => service.CompleteAsync("k", TestGateway.Create(out _), Hello()));
        Assert.Equal("http-400", error.KindName);
        Assert.Contains("maximum context length", error.Message, StringComparison.Ordinal);
        Assert.Single(server.To("/v1/chat/completions"));
    }

    [Fact]
    public async Task SeveralEndpoints_ShareTheWork_AndABrokenOneIsSkipped()
    {
        await using var good = await FakeChatServer.StartAsync(Model, ChatBehaviour.Reply("good"));
        await using var bad = await FakeChatServer.StartAsync(Model, ChatBehaviour.ServerError());
        var (client, service) = Create([good, bad], retries: 5);
        using var owned = client;
        var gateway = TestGateway.Create(out _);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal("good", (await service.CompleteAsync("k" + i, gateway, Hello((ulong)i))).Text);
        }

        Assert.InRange(bad.To("/v1/chat/completions").Count, 3, 4);
        var states = client.GetService<PooledChatClient>()!.Pool.States();
        Assert.False(states.Single(s => s.Url.Port == bad.BaseUrl.Port).Healthy);
        Assert.True(states.Single(s => s.Url.Port == good.BaseUrl.Port).Healthy);
    }

    [Fact]
    public async Task ConcurrentRequests_AreSpreadOverEndpoints()
    {
        await using var a = await FakeChatServer.StartAsync(Model, ChatBehaviour.Slow(TimeSpan.FromMilliseconds(100), "a"));
        await using var b = await FakeChatServer.StartAsync(Model, ChatBehaviour.Slow(TimeSpan.FromMilliseconds(100), "b"));
        var (client, service) = Create([a, b]);
        using var owned = client;
        var gateway = TestGateway.Create(out _);
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => service.CompleteAsync("k" + i, gateway, Hello((ulong)i))));
        Assert.InRange(a.To("/v1/chat/completions").Count, 10, 30);
        Assert.Equal(40, a.To("/v1/chat/completions").Count + b.To("/v1/chat/completions").Count);
    }

    [Fact]
    public async Task TheSameRequestTwice_IsAnsweredFromTheCache()
    {
        await using var server = await FakeChatServer.StartAsync(Model, ChatBehaviour.Reply("once"));
        var (client, service) = Create([server]);
        using var owned = client;
        var gateway = TestGateway.Create(out var ledger);
        await service.CompleteAsync("item", gateway, Hello());
        var again = await service.CompleteAsync("item", gateway, Hello());
        Assert.Equal("once", again.Text);
        Assert.Single(server.To("/v1/chat/completions"));
        Assert.Equal(1, ledger.ThisRun().Single().CacheHits);
        await service.CompleteAsync("item", gateway, Hello(seed: 43));
        Assert.Equal(2, server.To("/v1/chat/completions").Count);
    }

    [Fact]
    public async Task NoUsageFromTheServer_IsCountedLocally()
    {
        await using var server = await FakeChatServer.StartAsync(Model, ChatBehaviour.Reply("A red square on white.", usage: false));
        var (client, service) = Create([server]);
        using var owned = client;
        var reply = await service.CompleteAsync("k", TestGateway.Create(out var ledger), Hello());
        Assert.True(reply.CountedLocally);
        Assert.InRange(reply.OutputTokens, 4, 8);
        Assert.True(ledger.ThisRun().Single().InputTokens > 5);
    }

    [Fact]
    public async Task StructuredOutput_AsksForTheSchema_AndReadsFencedJson()
    {
        await using var server =
            await FakeChatServer.StartAsync(Model, ChatBehaviour.Reply("```json\n{\"answer\": \"yes\", \"confidence\": 4,}\n```"));
        var (client, service) = Create([server]);
        using var owned = client;
        var verdict = await service.CompleteJsonAsync("k", TestGateway.Create(out _), Hello(), Schema(), TestJsonContext.Default.Verdict);
        Assert.Equal(new Verdict("yes", 4), verdict);
        using var sent = JsonDocument.Parse(server.To("/v1/chat/completions")[0].Body);
        var format = sent.RootElement.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("verdict", format.GetProperty("json_schema").GetProperty("name").GetString());
    }

    [Fact]
    public async Task UnusableAnswer_GetsOneRepairTurn()
    {
        await using var server = await FakeChatServer.StartAsync(Model, ChatBehaviour.Reply("Sure! The answer is yes."),
            ChatBehaviour.Reply("{\"answer\": \"yes\", \"confidence\": 5}"));
        var (client, service) = Create([server]);
        using var owned = client;
        var verdict = await service.CompleteJsonAsync("k", TestGateway.Create(out _), Hello(), Schema(), TestJsonContext.Default.Verdict);
        Assert.Equal(5, verdict.Confidence);
        using var repair = JsonDocument.Parse(server.To("/v1/chat/completions")[1].Body);
        var messages = repair.RootElement.GetProperty("messages");
        Assert.Equal(4, messages.GetArrayLength());
        Assert.Equal("assistant", messages[2].GetProperty("role").GetString());
        Assert.Equal("Sure! The answer is yes.", messages[2].GetProperty("content").GetString());
        Assert.Contains("could not be used", messages[3].GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StillUnusableAfterTheRepair_IsAFailureKeepingTheRawText()
    {
        await using var server =
            await FakeChatServer.StartAsync(Model, ChatBehaviour.Reply("no json here"), ChatBehaviour.Reply("{\"answer\": 3}"));
        var (client, service) = Create([server]);
        using var owned = client;
        var error = await Assert.ThrowsAsync<BackendException>(() =>
            service.CompleteJsonAsync("k", TestGateway.Create(out _), Hello(), Schema(), TestJsonContext.Default.Verdict, v =>
                v.Confidence is < 1 or > 5 ? "confidence must be 1 to 5" : null));
        Assert.Equal("unparsable", error.KindName);
        Assert.Contains("no json here", error.Body, StringComparison.Ordinal);
        Assert.Contains("{\"answer\": 3}", error.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerThatRefusesJsonSchema_IsAskedByInstructionInstead()
    {
        await using var server =
            await FakeChatServer.StartAsync(Model, request => request.Text.Contains("response_format", StringComparison.Ordinal)
            ? ChatBehaviour.BadRequest("response_format json_schema is not supported by this server")
            : ChatBehaviour.Reply("{\"answer\": \"no\", \"confidence\": 2}"));
        var (client, service) = Create([server]);
        using var owned = client;
        var verdict = await service.CompleteJsonAsync("k", TestGateway.Create(out _), Hello(), Schema(), TestJsonContext.Default.Verdict);
        Assert.Equal("no", verdict.Answer);
        Assert.True(service.StructuredOutputRejected);
        Assert.DoesNotContain("response_format", server.To("/v1/chat/completions")[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Images_GoAsBase64_OrAsFileUrlsForLocalMedia()
    {
        await using var server = await FakeChatServer.StartAsync(Model, ChatBehaviour.Reply("a picture"));
        string image = Paths.Data("image_headers", "image.png");
        var request = new LlmRequest { Messages = [LlmMessage.User("What is this?", [image])] };

        var (client, service) = Create([server]);
        using (client)
        {
            await service.CompleteAsync("k", TestGateway.Create(out _), request);
        }

        var (client2, service2) = Create([server], localMedia: true);
        using (client2)
        {
            await service2.CompleteAsync("k", TestGateway.Create(out _), request);
        }

        var sent = server.To("/v1/chat/completions");
        string base64 = Convert.ToBase64String(File.ReadAllBytes(image));
        using var first = JsonDocument.Parse(sent[0].Body);
        var parts = first.RootElement.GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("text", parts[0].GetProperty("type").GetString());
        Assert.Equal("data:image/png;base64," + base64, parts[1].GetProperty("image_url").GetProperty("url").GetString());
        using var second = JsonDocument.Parse(sent[1].Body);
        Assert.Equal(new Uri(Path.GetFullPath(image)).AbsoluteUri,
            second.RootElement.GetProperty("messages")[0].GetProperty("content")[1].GetProperty("image_url").GetProperty("url")
            .GetString());
    }

    [Fact]
    public async Task HealthCheck_SaysWhatIsWrong()
    {
        await using var server = await FakeChatServer.StartAsync("llama3.1:8b");
        using var http = BackendHttp.CreateClient();
        var closed = new Uri("http://127.0.0.1:9/v1");
        var results = await LlmHealth.CheckAsync(http, [new Uri(server.BaseUrl, "v1"), closed], Model, null, TimeSpan.FromSeconds(5));
        Assert.False(results[0].Ok);
        Assert.Contains("does not serve the model \"Qwen2.5-7B-Instruct\"; it serves: \"llama3.1:8b\"", results[0].Message,
            StringComparison.Ordinal);
        Assert.False(results[1].Ok);
        Assert.StartsWith("cannot reach http://127.0.0.1:9/v1/models", results[1].Message, StringComparison.Ordinal);

        var ok = await LlmHealth.CheckAsync(http, [new Uri(server.BaseUrl, "v1")], "llama3.1:8b", null, TimeSpan.FromSeconds(5));
        Assert.True(ok[0].Ok);
    }

    private static LlmSchema Schema() => new("verdict", JsonDocument.Parse("""
        {"type": "object", "properties": {"answer": {"type": "string"}, "confidence": {"type": "integer"}}, "required": ["answer",
        """
        + """
         "confidence"]}
        """).RootElement);
}
