using System.Text.Json;
using Microsoft.Extensions.AI;
using VisInstruct.Backends.Llm;
using VisInstruct.Datasets;
using VisInstruct.Engine;
using VisInstruct.Filters;
using VisInstruct.Formats;
using VisInstruct.Json;
using VisInstruct.Rendering;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Filters.Judges;

/// <summary>A chat request as the fake server received it: the system text, the last user text, and the image parts.</summary>
internal sealed record SeenRequest(string System, string User, int Images, double? Temperature, int? MaxTokens, ulong? Seed)
{
    public static SeenRequest Read(RecordedRequest request)
    {
        using var document = JsonDocument.Parse(request.Body);
        var root = document.RootElement;
        var messages = root.GetProperty("messages").EnumerateArray().ToList();
        string system = "";
        string user = "";
        int images = 0;
        foreach (var message in messages)
        {
            string role = message.GetProperty("role").GetString()!;
            var content = message.GetProperty("content");
            string text = content.ValueKind == JsonValueKind.String ? content.GetString()!
                : string.Concat(content.EnumerateArray().Where(p => p.GetProperty("type").GetString() == "text")
                    .Select(p => p.GetProperty("text").GetString()));
            if (content.ValueKind == JsonValueKind.Array)
            {
                images += content.EnumerateArray().Count(p => p.GetProperty("type").GetString() == "image_url"
                    && p.GetProperty("image_url").GetProperty("url").GetString()!.StartsWith("data:image/", StringComparison.Ordinal));
            }

            if (role == "system")
            {
                system = text;
            }
            else if (role == "user" && user.Length == 0)
            {
                user = text;
            }
        }

        return new SeenRequest(system, user, images,
            root.TryGetProperty("temperature", out var t) ? t.GetDouble() : null,
            root.TryGetProperty("max_tokens", out var m) ? m.GetInt32() : null,
            root.TryGetProperty("seed", out var s) ? s.GetUInt64() : null);
    }
}

/// <summary>What the judge tests share: a service on a fake server, a context, a sample with a real image.</summary>
internal static class JudgeTestKit
{
    public static (IChatClient Client, LlmService Service) Service(LoopbackServer server, string model, string name = "llm")
    {
        var client = ChatBackend.Build(new ChatEndpointsOptions
        {
            Endpoints = [new Uri(server.BaseUrl, "v1/")],
            Model = model,
            Retries = 0,
            RequestTimeout = TimeSpan.FromSeconds(10),
        });
        return (client, new LlmService(client, new LlmServiceOptions { Name = name, Model = model, MaxTokens = 256 }));
    }

    public static SampleContext Context(string key = "s/00000001") =>
        new(key, 1234, "filter", TestGateway.Create(out _), 1);

    /// <summary>A sample from question-answer pairs; the first question carries the image token.</summary>
    public static FilterSubject Subject(IReadOnlyList<string> images, params (string Question, string Answer)[] pairs)
    {
        var turns = new List<LlavaTurn>();
        foreach (var (question, answer) in pairs)
        {
            turns.Add(new LlavaTurn(LlavaTurn.Human, turns.Count == 0 && images.Count > 0 ? "<image>\n" + question : question));
            turns.Add(new LlavaTurn(LlavaTurn.Gpt, answer));
        }

        var sample = new LlavaSample
        {
            Id = "sample-1",
            Image = images.Count == 0 ? null : LlavaImage.Single(Path.GetFileName(images[0])),
            Conversations = turns,
        };
        return new FilterSubject("s/00000001", new DatasetSample(sample, "data.json", 0, new SourcePosition(1, 1, 0), "all"), images);
    }

    /// <summary>A red circle on a plain background, as a PNG file in <paramref name="temp"/>.</summary>
    public static string Image(TempDir temp, string name = "red.jpg")
    {
        var scene = new SceneSpec
        {
            Width = 64, Height = 64,
            Background = new Background(BackgroundKind.Plain, NamedColor.Backgrounds[0], NamedColor.Backgrounds[1]),
            Objects = [new SceneObject(ShapeKind.Circle, NamedColor.Find("red")!, SizeClass.Large, new PixelBox(8, 8, 56, 56))],
        };
        return temp.Write(name, ProceduralRenderer.Render(scene));
    }
}
