using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VisInstruct.Bench;

/// <summary>
/// An OpenAI-compatible loopback server for whole-recipe benchmarks: every chat completion is answered after exactly
/// the latency (200 ms), with an answer the recipes accept — StableLLaVA dialogues with the turn count and yes/no the
/// instruction asks for; SVIT's four tasks in the shapes the original prompts ask for, the referring answers built from
/// the boxes in the request's own context, so they pass the grounding check. It writes its base URL to a file, counts
/// requests (GET /count) and runs until killed.
/// </summary>
internal static partial class RecipeServerBench
{
    private static long _requests;
    private static long _inFlight;

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var latency = TimeSpan.FromMilliseconds(options.GetLong("latency-ms", 200));
        string urlFile = options.Get("url-file");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(context => HandleAsync(context, latency));
        await app.StartAsync().ConfigureAwait(false);
        if (options.TryGet("timeline") is { } timeline)
        {
            _ = Task.Run(() => WriteTimelineAsync(timeline));
        }

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await File.WriteAllTextAsync(urlFile + ".tmp", address).ConfigureAwait(false);
        File.Move(urlFile + ".tmp", urlFile, overwrite: true);
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// Every 50 ms while requests are in flight or arriving: Unix time in milliseconds, requests in flight, requests
    /// so far (one line each, appended), for finding ramp-up, dry spells and serialisation points.
    /// </summary>
    private static async Task WriteTimelineAsync(string path)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        long last = -1;
        await using var writer = new StreamWriter(path, append: true) { AutoFlush = true };
        while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            long total = Interlocked.Read(ref _requests), inFlight = Interlocked.Read(ref _inFlight);
            if (total != last || inFlight > 0)
            {
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} {inFlight} {total}")).ConfigureAwait(false);
                last = total;
            }
        }
    }

    private static async Task HandleAsync(HttpContext context, TimeSpan latency)
    {
        var request = context.Request;
        context.Response.ContentType = "application/json";
        if (request.Method == "GET" && request.Path == "/count")
        {
            await context.Response.WriteAsync(Interlocked.Read(ref _requests).ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            return;
        }

        if (request.Method == "GET" && request.Path.Value!.EndsWith("/models", StringComparison.Ordinal))
        {
            await context.Response.WriteAsync("{\"object\": \"list\", \"data\": [{\"id\": \"bench-model\", \"object\": \"model\"}]}")
                .ConfigureAwait(false);
            return;
        }

        var started = DateTime.UtcNow;
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _inFlight);
        try
        {
            await AnswerAsync(context, latency, started).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static async Task AnswerAsync(HttpContext context, TimeSpan latency, DateTime started)
    {
        var request = context.Request;
        using var body = await JsonDocument.ParseAsync(request.Body).ConfigureAwait(false);
        string answer = Answer(body.RootElement);
        var wait = latency - (DateTime.UtcNow - started);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait).ConfigureAwait(false);
        }

        var completion = new Dictionary<string, object>
        {
            ["id"] = "chatcmpl-bench",
            ["object"] = "chat.completion",
            ["created"] = 1700000000,
            ["model"] = "bench-model",
            ["choices"] = new[] { new { index = 0, message = new { role = "assistant", content = answer }, finish_reason = "stop" } },
            ["usage"] = new { prompt_tokens = 300, completion_tokens = 120, total_tokens = 420 },
        };
        await context.Response.WriteAsync(JsonSerializer.Serialize(completion)).ConfigureAwait(false);
    }

    private static string Answer(JsonElement request)
    {
        var messages = request.GetProperty("messages");
        string system = Text(messages[0]);
        string user = Text(messages[messages.GetArrayLength() - 1]);
        if (system.StartsWith("You write short training conversations", StringComparison.Ordinal))
        {
            return Dialogue(user);
        }

        string context = messages.GetArrayLength() > 1 ? Text(messages[1]) : user;
        if (system.Contains("Design three conversations", StringComparison.Ordinal))
        {
            var sb = new StringBuilder("Here are three conversations.\n\n");
            for (int c = 1; c <= 3; c++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"**Topic: The scene, part {c}**\n");
                for (int q = 1; q <= 5; q++)
                {
                    sb.Append(CultureInfo.InvariantCulture,
                        $"User: What can be seen in part {c}, question {q}?\nGPT: In part {c} there is detail number {q}.\n");
                }

                sb.Append('\n');
            }

            return sb.ToString();
        }

        if (system.Contains("Create 15 plausible", StringComparison.Ordinal))
        {
            return string.Concat(Enumerable.Range(1, 15)
                .Select(i => $"{i}. Question: Why is thing {i} there?\nAnswer: Because of reason {i}, as the scene suggests.\n\n"));
        }

        if (system.Contains("in detail", StringComparison.Ordinal))
        {
            return "The image shows a busy scene with several objects arranged across the frame.\n\nThe light is soft and the colours "
                + "are natural.";
        }

        return Referring(context);
    }

    /// <summary>A StableLLaVA dialogue: as many turns as the instruction asks, the yes/no first when it asks one.</summary>
    private static string Dialogue(string user)
    {
        var count = TurnCount().Match(user);
        int turns = !count.Success ? 1 : count.Groups[1].Value switch
        {
            "one" => 1,
            "two" => 2,
            "three" => 3,
            "four" => 4,
            var digits when int.TryParse(digits, CultureInfo.InvariantCulture, out int n) => n,
            _ => 3,
        };
        string yesNo = YesNo().Match(user) is { Success: true } m ? m.Groups[1].Value + ", " : "";
        var list = Enumerable.Range(0, turns)
            .Select(i =>
            new { question = $"What does the picture show, part {i + 1}?", answer = $"{yesNo}it shows detail {i + 1} clearly." }).ToList();
        return JsonSerializer.Serialize(new { turns = list });
    }

    /// <summary>Referring QA over the context's own object boxes (so every mention is grounded).</summary>
    private static string Referring(string context)
    {
        var objects = new List<(string Name, string Box)>();
        bool inObjects = false;
        foreach (string line in context.Split('\n'))
        {
            if (line.StartsWith("(2) objects", StringComparison.Ordinal))
            {
                inObjects = true;
                continue;
            }

            if (line.StartsWith("(3)", StringComparison.Ordinal))
            {
                break;
            }

            if (inObjects && ObjectLine().Match(line) is { Success: true } m)
            {
                objects.Add((m.Groups[1].Value, m.Groups[2].Value));
            }
        }

        if (objects.Count == 0)
        {
            return "Question: What is in the image?\nAnswer: A scene.";
        }

        var sb = new StringBuilder();
        for (int i = 0; i < Math.Min(10, objects.Count); i++)
        {
            var (name, box) = objects[i];
            sb.Append(CultureInfo.InvariantCulture,
                $"Question: What is the <st>{name}<ed> {box} like?\nAnswer: The <st>{name}<ed> {box} is clearly visible.\n");
        }

        return sb.ToString();
    }

    private static string Text(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String ? content.GetString()! : content[0].GetProperty("text").GetString()!;
    }

    [GeneratedRegex(@"Write (\w+) turns?")]
    private static partial Regex TurnCount();

    [GeneratedRegex("starts with \"(Yes|No)\"")]
    private static partial Regex YesNo();

    [GeneratedRegex(@"^(.+?): (\[[0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+\])$")]
    private static partial Regex ObjectLine();
}
