using System.Text.Json;

namespace VisInstruct.Tests.Support;

/// <summary>What the fake OpenAI-compatible server does with one chat request.</summary>
internal abstract record ChatBehaviour
{
    public static ChatBehaviour Reply(string text, bool usage = true) => new ReplyBehaviour(text, usage);

    public static ChatBehaviour RateLimited(int retryAfterSeconds) =>
        new StatusBehaviour(429, "{\"error\": {\"message\": \"Rate limit reached\", \"type\": \"rate_limit_error\"}}", retryAfterSeconds);

    public static ChatBehaviour ServerError() =>
        new StatusBehaviour(500, "{\"error\": {\"message\": \"CUDA out of memory\", \"type\": \"internal_error\"}}", null);

    public static ChatBehaviour BadRequest(string message) =>
        new StatusBehaviour(400, JsonSerializer.Serialize(new { error = new { message, type = "invalid_request_error" } }), null);

    public static ChatBehaviour Slow(TimeSpan delay, string text) => new SlowBehaviour(delay, text);

    public static ChatBehaviour Malformed() => new RawBehaviour("{\"id\": \"chatcmpl-1\", \"choices\": [{\"message\": ");

    public static ChatBehaviour Drop() => new DropBehaviour();

    internal sealed record ReplyBehaviour(string Text, bool Usage) : ChatBehaviour;

    internal sealed record StatusBehaviour(int Status, string Body, int? RetryAfter) : ChatBehaviour;

    internal sealed record SlowBehaviour(TimeSpan Delay, string Text) : ChatBehaviour;

    internal sealed record RawBehaviour(string Body) : ChatBehaviour;

    internal sealed record DropBehaviour : ChatBehaviour;
}

/// <summary>
/// A double of an OpenAI-compatible server (the shape vLLM, Ollama and OpenAI answer in): <c>GET /v1/models</c> and
/// <c>POST /v1/chat/completions</c>, with scripted behaviour per chat request (in arrival order; the last one
/// repeats).
/// </summary>
internal static class FakeChatServer
{
    public static Task<LoopbackServer> StartAsync(string model, params ChatBehaviour[] script) =>
        StartAsync(model, _ => script.Length == 0 ? ChatBehaviour.Reply("ok") : null, script);

    public static Task<LoopbackServer> StartAsync(string model, Func<RecordedRequest, ChatBehaviour?> choose, params ChatBehaviour[] script)
    {
        int chats = -1;
        return LoopbackServer.StartAsync(async (context, request) =>
        {
            if (request.Method == "GET" && request.Path == "/v1/models")
            {
                await context.Json(
                    $"{{\"object\": \"list\", \"data\": [{{\"id\": \"{model}\", \"object\": \"model\", \"owned_by\": \"vllm\"}}]}}");
                return;
            }

            if (request.Method != "POST" || request.Path != "/v1/chat/completions")
            {
                await context.Json("{\"error\": {\"message\": \"not found\"}}", 404);
                return;
            }

            int n = Interlocked.Increment(ref chats);
            var behaviour = choose(request) ?? script[Math.Min(n, script.Length - 1)];
            switch (behaviour)
            {
                case ChatBehaviour.ReplyBehaviour reply:
                    await context.Json(Completion(model, reply.Text, reply.Usage));
                    break;
                case ChatBehaviour.StatusBehaviour status:
                    if (status.RetryAfter is { } seconds)
                    {
                        context.Response.Headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }

                    await context.Json(status.Body, status.Status);
                    break;
                case ChatBehaviour.SlowBehaviour slow:
                    try
                    {
                        await Task.Delay(slow.Delay, context.RequestAborted);
                        await context.Json(Completion(model, slow.Text, true));
                    }
                    catch (OperationCanceledException)
                    {
                        // The client gave up.
                    }

                    break;
                case ChatBehaviour.RawBehaviour raw:
                    await context.Json(raw.Body);
                    break;
                case ChatBehaviour.DropBehaviour:
                    context.Abort();
                    break;
            }
        });
    }

    public static string Completion(string model, string text, bool usage)
    {
        var body = new Dictionary<string, object>
        {
            ["id"] = "chatcmpl-1",
            ["object"] = "chat.completion",
            ["created"] = 1700000000,
            ["model"] = model,
            ["choices"] = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "stop" } },
        };
        if (usage)
        {
            body["usage"] = new { prompt_tokens = 11, completion_tokens = 7, total_tokens = 18 };
        }

        return JsonSerializer.Serialize(body);
    }
}
