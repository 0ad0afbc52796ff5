using System.Text.Json;
using System.Text.Json.Nodes;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Filters;

/// <summary>
/// <c>visinstruct filter</c> with the model filters, end to end against OpenAI-compatible doubles on 127.0.0.1: a text
/// model for the blind filter and three vision judges, two of which must accept. Then the promises users rely on: a rerun
/// sends nothing, a changed drop set (with <c>--force-new</c>) is answered from the cache.
/// </summary>
public sealed class FilterServerTests : IDisposable
{
    private readonly TempDir _temp = new();

    public FilterServerTests()
    {
        for (int i = 0; i < 3; i++)
        {
            _temp.Write($"data/p{i}.jpg", FilterImages.Picture(20 + i));
        }

        var records = new JsonArray
        {
            Record("m0", "p0.jpg", "Is there a circle in the picture?", "Yes, there is a large circle in the middle."),
            Record("m1", "p1.jpg", "How many circles are there?", "There are three circles."),
            Record("m2", "p2.jpg", "Describe the picture in detail.",
                "Several overlapping shapes in bright colours fill the frame: circles, a few wide rectangles, and a plain background "
                + "that shows through between them."),
        };
        File.WriteAllText(_temp.File("data.json"), records.ToJsonString());
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Blind_and_judges_flag_by_their_rules_and_a_rerun_asks_nothing_again()
    {
        // The text model answers yes/no questions "Yes." and counts "2": right for m0, wrong for m1 (three).
        await using var text = await FakeChatServer.StartAsync("text-model",
            r => ChatBehaviour.Reply(r.Text.Contains("How many", StringComparison.Ordinal) ? "2" : "Yes."));
        // Judge a accepts everything; b and c find m1's count wrong; c also rejects m2's description.
        await using var a = await Judge("judge-a", _ => true);
        await using var b = await Judge("judge-b", user => !user.Contains("three circles", StringComparison.Ordinal));
        await using var c = await Judge("judge-c", user => !user.Contains("three circles", StringComparison.Ordinal)
            && !user.Contains("overlapping shapes", StringComparison.Ordinal));
        string config = _temp.Write("run.yaml", $$"""
            llm:
              endpoints: ["{{new Uri(text.BaseUrl, "v1")}}"]
              model: text-model
            filters:
              blind: {}
              consistency:
                min_agree: 2
                drop: true
                judges:
                  - {endpoints: ["{{new Uri(a.BaseUrl, "v1")}}"], model: judge-a}
                  - {endpoints: ["{{new Uri(b.BaseUrl, "v1")}}"], model: judge-b}
                  - {endpoints: ["{{new Uri(c.BaseUrl, "v1")}}"], model: judge-c}
            """);
        string output = _temp.File("out");
        string[] args = ["filter", _temp.File("data.json"), "--image-folder", _temp.File("data"), "--out", output, "--config", config,
            "--quiet"];

        var run = CliRunner.Run(args);

        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        var lines = File.ReadLines(Path.Combine(output, "filters.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(3 * 2, lines.Count);
        var blind = lines.Where(l => l.GetProperty("filter").GetString() == "blind").ToDictionary(l => l.GetProperty("id").GetString()!);
        Assert.True(blind["m0"].GetProperty("flagged").GetBoolean());
        Assert.Equal("blind-answerable", blind["m0"].GetProperty("reason").GetString());
        Assert.Equal(1, blind["m0"].GetProperty("hits").GetInt32());
        Assert.False(blind["m1"].GetProperty("flagged").GetBoolean());
        Assert.Equal(0, blind["m2"].GetProperty("checked").GetInt32());
        var judged = lines.Where(l => l.GetProperty("filter").GetString() == "consistency")
            .ToDictionary(l => l.GetProperty("id").GetString()!);
        Assert.Equal(3, judged["m0"].GetProperty("hits").GetInt32());
        Assert.True(judged["m1"].GetProperty("flagged").GetBoolean());
        Assert.Equal(1, judged["m1"].GetProperty("hits").GetInt32());
        Assert.False(judged["m2"].GetProperty("flagged").GetBoolean());
        Assert.Equal(2, judged["m2"].GetProperty("hits").GetInt32());
        // Only consistency drops: m1 leaves, m0 stays although blind-answerable (blind only flags).
        Assert.Equal(["m0", "m2"], Ids(Path.Combine(output, "llava.json")));
        string card = File.ReadAllText(Path.Combine(output, "README.md"));
        Assert.Contains("## Blind-answerable questions", card);
        Assert.Contains("| **all** | 2 | 1 | 50.0 % |", card);
        Assert.Contains("judge-b", card);

        // The rerun is resumed: nothing is sent (GET /v1/models of the pre-flight aside) and the files are the same.
        int sent = Chats(text, a, b, c);
        var before = File.ReadAllBytes(Path.Combine(output, "filters.jsonl"));
        var again = CliRunner.Run(args);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal(sent, Chats(text, a, b, c));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(output, "filters.jsonl")));

        // Dropping the blind-answerable too is another configuration: with --force-new, answered from the cache.
        var changed = CliRunner.Run([.. args, "--drop", "blind", "--force-new"]);
        Assert.True(changed.ExitCode == 0, changed.Error);
        Assert.Equal(sent, Chats(text, a, b, c));
        Assert.Equal(["m2"], Ids(Path.Combine(output, "llava.json")));
    }

    private static Task<LoopbackServer> Judge(string model, Func<string, bool> accepts) =>
        FakeChatServer.StartAsync(model, r =>
        {
            string holds = accepts(r.Text) ? "true" : "false";
            return ChatBehaviour.Reply("{\"claims\": [{\"claim\": \"what the answer says\", \"holds\": " + holds + "}]}");
        });

    private static int Chats(params LoopbackServer[] servers) =>
        servers.Sum(s => s.Requests.Count(r => r.Path == "/v1/chat/completions"));

    private static JsonObject Record(string id, string image, string question, string answer) => new()
    {
        ["id"] = id, ["image"] = image,
        ["conversations"] = new JsonArray(
            new JsonObject { ["from"] = "human", ["value"] = "<image>\n" + question },
            new JsonObject { ["from"] = "gpt", ["value"] = answer }),
    };

    private static List<string> Ids(string file) =>
        [.. JsonDocument.Parse(File.ReadAllBytes(file)).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];
}
