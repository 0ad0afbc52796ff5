using System.Text.Json;
using System.Text.Json.Nodes;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes;

/// <summary>
/// Both recipes with an LLM against doubles of servers as they really are (<see cref="GuidedDecodingServer"/>): one
/// that decodes to the schema (any instance it allows), one that ignores <c>response_format</c> and answers in chatty
/// fenced JSON with extra items, one that refuses <c>response_format</c> with a 400, and a reasoning model. Each run
/// must finish (exit 0) with at most 5 % of its samples failed, leak nothing of the wrappers or the reasoning into the
/// dataset, and record the structured-output mode each endpoint ended up with.
/// </summary>
public class RealServerBehaviourTests
{
    public static TheoryData<ServerBehaviour> Behaviours => new()
    {
        ServerBehaviour.SchemaStrict, ServerBehaviour.IgnoresFormat, ServerBehaviour.RefusesFormat, ServerBehaviour.Reasoning,
    };


    private static Task<LoopbackServer> A1111() => A1111Double.StartAsync();

    /// <summary>The first failures of a run, for the message of a failed assertion.</summary>
    private static string Failures(string output)
    {
        string file = Path.Combine(output, "failures.jsonl");
        return File.Exists(file) ? string.Join("\n", File.ReadLines(file).Take(3).Select(l => l.Length > 1500 ? l[..1500] : l)) : "";
    }

    private static (long Items, long Failed) Counts(string manifest)
    {
        if (!File.Exists(manifest))
        {
            return (0, 0);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        var counts = document.RootElement.GetProperty("counts");
        return (counts.GetProperty("items").GetInt64(), counts.GetProperty("failed").GetInt64());
    }

    private static void AssertClean(string llava)
    {
        string text = File.ReadAllText(llava);
        Assert.DoesNotContain("<think>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("</think>", text, StringComparison.Ordinal);
        Assert.DoesNotContain(GuidedDecodingServer.ReasoningMarker, text, StringComparison.Ordinal);
        Assert.DoesNotContain("```", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Here is", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{\\\"", text, StringComparison.Ordinal);
    }

    /// <summary>The mode the manifest records for the endpoint, with the reason it left json_schema.</summary>
    private static void AssertMode(string manifest, ServerBehaviour behaviour)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        var modes = document.RootElement.GetProperty("structured_output").EnumerateArray().ToList();
        var mode = Assert.Single(modes);
        Assert.Equal("llm", mode.GetProperty("backend").GetString());
        switch (behaviour)
        {
            case ServerBehaviour.IgnoresFormat:
                Assert.Equal("instructions", mode.GetProperty("mode").GetString());
                Assert.Contains("not followed", mode.GetProperty("reason").GetString()!, StringComparison.Ordinal);
                break;
            case ServerBehaviour.RefusesFormat:
                Assert.Equal("instructions", mode.GetProperty("mode").GetString());
                Assert.Contains("json_object refused", mode.GetProperty("reason").GetString()!, StringComparison.Ordinal);
                break;
            default:
                Assert.Equal("json_schema", mode.GetProperty("mode").GetString());
                Assert.False(mode.TryGetProperty("reason", out _));
                break;
        }
    }

    /// <summary>A server that refuses response_format is told so once per format, however many requests were in flight.</summary>
    private static void AssertRefusedOnce(LoopbackServer chat, ServerBehaviour behaviour)
    {
        if (behaviour != ServerBehaviour.RefusesFormat)
        {
            return;
        }

        var formats = chat.To("/v1/chat/completions").Select(r =>
        {
            using var body = JsonDocument.Parse(r.Body);
            return body.RootElement.TryGetProperty("response_format", out var f) ? f.GetProperty("type").GetString() : null;
        }).Where(f => f is not null).ToList();
        Assert.Equal(["json_schema", "json_object"], formats);
    }

    [Theory]
    [MemberData(nameof(Behaviours))]
    public async Task StableLlava_Procedural_WithAnLlm_FinishesWithFewFailures(ServerBehaviour behaviour)
    {
        using var temp = new TempDir();
        await using var chat = await GuidedDecodingServer.StartAsync(behaviour, "writer", seed: 11);
        string config = temp.Write("run.yaml", $"llm:\n  endpoints: [{chat.BaseUrl}v1]\n  model: writer\n  retries: 0\n");
        var result = CliRunner.Run("generate", "--out", temp.File("out"), "--config", config, "--abilities",
            "color,counting,position,multi_turn", "--count", "12",
            "--seed", "3", "--quiet");
        var (items, failed) = Counts(temp.File("out", "manifest.json"));
        Assert.True(result.ExitCode == 0,
            $"{behaviour}: {failed} of {items} failed\n{result.Error}{result.Out}\n{Failures(temp.File("out"))}");
        Assert.Equal(48, items);
        Assert.True(failed <= items * 0.05, $"{behaviour}: {failed} of {items} failed\n{Failures(temp.File("out"))}");
        AssertClean(temp.File("out", "llava.json"));
        AssertClean(temp.File("out", "llava_multi.json"));
        AssertMode(temp.File("out", "manifest.json"), behaviour);
        AssertRefusedOnce(chat, behaviour);
        if (behaviour == ServerBehaviour.IgnoresFormat)
        {
            // The chatty server wrote extra turns now and then: the first ones were kept, and it shows.
            using var manifest = JsonDocument.Parse(File.ReadAllText(temp.File("out", "manifest.json")));
            Assert.True(manifest.RootElement.GetProperty("counters").GetProperty("turns_trimmed").GetInt64() > 0);
            Assert.Contains("had more turns than asked for; the first ones were kept", File.ReadAllText(temp.File("out", "README.md")),
                StringComparison.Ordinal);
        }

        string card = File.ReadAllText(temp.File("out", "README.md"));
        Assert.Contains("Structured answers were asked for as:", card, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("lint", temp.File("out", "llava.json"), "--image-folder", temp.File("out")).ExitCode);
        Assert.Equal(0, CliRunner.Run("lint", temp.File("out", "llava_multi.json"), "--trainer", "onevision", "--image-folder",
            temp.File("out")).ExitCode);

        // The same command again asks nothing, and the card and manifest still say how the answers were asked for.
        int sent = chat.To("/v1/chat/completions").Count;
        var again = CliRunner.Run("generate", "--out", temp.File("out"), "--config", config, "--abilities",
            "color,counting,position,multi_turn", "--count", "12",
            "--seed", "3", "--quiet");
        Assert.True(again.ExitCode == 0, again.Error + again.Out);
        Assert.Equal(sent, chat.To("/v1/chat/completions").Count);
        Assert.Equal(card, File.ReadAllText(temp.File("out", "README.md")));
        AssertMode(temp.File("out", "manifest.json"), behaviour);
    }

    [Theory]
    [MemberData(nameof(Behaviours))]
    public async Task StableLlava_PromptWriterAndImageBackend_WithAnLlm_FinishesWithFewFailures(ServerBehaviour behaviour)
    {
        using var temp = new TempDir();
        await using var chat = await GuidedDecodingServer.StartAsync(behaviour, "writer", seed: 12);
        await using var images = await A1111();
        string config = temp.Write("run.yaml", $"""
            llm:
              endpoints: [{chat.BaseUrl}v1]
              model: writer
              retries: 0
            images:
              backend: a1111
              endpoints: [{images.BaseUrl}]
              width: 512
              height: 512
              steps: 20
            stablellava:
              lane_size: 4
              batch_size: 2
            """);
        var result = CliRunner.Run("generate", "--out", temp.File("out"), "--config", config, "--abilities", "color,animal,action",
            "--count", "14", "--seed", "4", "--quiet");
        var (items, failed) = Counts(temp.File("out", "manifest.json"));
        Assert.True(result.ExitCode == 0,
            $"{behaviour}: {failed} of {items} failed\n{result.Error}{result.Out}\n{Failures(temp.File("out"))}");
        Assert.Equal(42, items);
        Assert.True(failed <= items * 0.05, $"{behaviour}: {failed} of {items} failed\n{Failures(temp.File("out"))}");
        AssertClean(temp.File("out", "llava.json"));
        AssertMode(temp.File("out", "manifest.json"), behaviour);
        AssertRefusedOnce(chat, behaviour);

        Assert.NotEmpty(images.To("/sdapi/v1/txt2img"));
    }

    /// <summary>SVIT over twelve Visual Genome images (the two real records, repeated under new ids): 48 items.</summary>
    private static string VisualGenome(TempDir temp, int images)
    {
        JsonArray Repeat(string file, Action<JsonNode, long> setId)
        {
            var source = JsonNode.Parse(File.ReadAllText(Paths.Reference("vg", file)))!.AsArray();
            var result = new JsonArray();
            for (int i = 0; i < images; i++)
            {
                var record = source[i % source.Count]!.DeepClone();
                setId(record, i + 1);
                result.Add(record);
            }

            return result;
        }

        var data = Repeat("image_data.first2.json", (r, id) =>
        {
            r["image_id"] = id;
            r["url"] = $"https://cs.stanford.edu/people/rak248/VG_100K/{id}.jpg";
        });
        var objects = Repeat("objects.first2.json", (r, id) => r["image_id"] = id);
        var attributes = Repeat("attributes.first2.json", (r, id) => r["image_id"] = id);
        var regions = Repeat("region_descriptions.first2.json", (r, id) =>
        {
            if (r["id"] is not null)
            {
                r["id"] = id;
            }

            foreach (var region in r["regions"]!.AsArray())
            {
                region!["image_id"] = id;
            }
        });
        return $"""
            annotations:
              vg_image_data: {temp.Write("vg/image_data.json", data.ToJsonString())}
              vg_objects: {temp.Write("vg/objects.json", objects.ToJsonString())}
              vg_regions: {temp.Write("vg/region_descriptions.json", regions.ToJsonString())}
              vg_attributes: {temp.Write("vg/attributes.json", attributes.ToJsonString())}

            """;
    }

    [Theory]
    [MemberData(nameof(Behaviours))]
    public async Task Svit_WithAnLlm_FinishesWithFewFailures(ServerBehaviour behaviour)
    {
        using var temp = new TempDir();
        await using var chat = await GuidedDecodingServer.StartAsync(behaviour, "writer", seed: 13);
        string config =
            temp.Write("run.yaml", VisualGenome(temp, 12) + $"llm:\n  endpoints: [{chat.BaseUrl}v1]\n  model: writer\n  retries: 0\n");
        var result = CliRunner.Run("generate", "--recipe", "svit", "--out", temp.File("out"), "--config", config, "--seed", "5", "--quiet");
        var (items, failed) = Counts(temp.File("out", "manifest.json"));
        Assert.True(result.ExitCode == 0,
            $"{behaviour}: {failed} of {items} failed\n{result.Error}{result.Out}\n{Failures(temp.File("out"))}");
        Assert.Equal(48, items);
        Assert.True(failed <= items * 0.05, $"{behaviour}: {failed} of {items} failed\n{Failures(temp.File("out"))}");
        AssertClean(temp.File("out", "llava.json"));
        string raw = File.ReadAllText(temp.File("out", "svit", "svit.json"));
        Assert.DoesNotContain(GuidedDecodingServer.ReasoningMarker, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("```", raw, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("lint", temp.File("out", "llava.json")).ExitCode);
    }

    [Theory]
    [MemberData(nameof(Behaviours))]
    public async Task LlavaInstruct_WithAnLlm_FinishesWithFewFailures(ServerBehaviour behaviour)
    {
        using var temp = new TempDir();
        await using var chat = await GuidedDecodingServer.StartAsync(behaviour, "writer", seed: 14);
        string config = temp.Write("llm.yaml",
            File.ReadAllText(AnnotatedRecipeOfflineTests.CocoConfig(temp))
            + $"\nllm:\n  endpoints: [{chat.BaseUrl}v1]\n  model: writer\n  retries: 0\n");
        var result = CliRunner.Run("generate", "--recipe", "llava-instruct", "--out", temp.File("out"), "--config", config, "--seed", "6",
            "--quiet");
        var (items, failed) = Counts(temp.File("out", "manifest.json"));
        Assert.True(result.ExitCode == 0,
            $"{behaviour}: {failed} of {items} failed\n{result.Error}{result.Out}\n{Failures(temp.File("out"))}");
        Assert.Equal(15, items);
        Assert.Equal(0, failed);
        AssertClean(temp.File("out", "llava.json"));
    }
}
