using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes;

/// <summary>
/// Kill-and-resume laws for every recipe with its backends on loopback servers (an OpenAI-compatible LLM, an
/// AUTOMATIC1111 image server), the command line as a child process killed with SIGKILL at seeded moments and rerun
/// until it finishes:
/// (a) the outputs are byte-identical to an uninterrupted run's;
/// (b) the servers receive at most the uninterrupted run's requests plus those in flight at each kill (an answer that
///     arrived is never asked for again);
/// (c) the manifest counts every request the servers received: exactly, uninterrupted; across kills, every recorded
///     answer once and every request in flight at a kill as sent (its answer lost), so never fewer than were received.
/// The servers answer each request as a function of its content only, so both runs get the same answers.
/// </summary>
public partial class KillResumeServerTests
{

    private static readonly string[] Animals =
        ["red fox", "barn owl", "sea otter", "hedgehog", "snow leopard", "red panda", "harbour seal", "kingfisher",
        "arctic hare", "mountain goat", "giant tortoise", "flamingo", "koala", "bison", "lynx", "peacock", "chameleon", "meerkat", "walrus",
            "toucan",
        "wombat", "ibex", "pelican", "badger", "okapi", "puffin", "armadillo", "tapir", "gecko", "caribou"];

    private static readonly string[] Places =
        ["snowy forest", "old barn at dusk", "kelp forest", "autumn leaves", "rocky cliff", "bamboo grove", "pebble beach",
        "riverbank", "tundra", "alpine meadow", "volcanic island", "salt lake", "eucalyptus tree", "open prairie", "pine forest",
            "palace garden",
        "rainforest branch", "desert burrow", "ice floe", "jungle canopy", "grassy hill", "mountain ledge", "harbour pier",
            "woodland clearing",
        "savanna", "sea stack", "dry scrub", "misty swamp", "stone wall", "frozen lake"];

    [Fact]
    public async Task StableLlava_WithLlmVisionAndA1111_KilledAndResumed_KeepsTheLaws_AndResumesForceNewAndMerges()
    {
        using var temp = new TempDir();
        var gate = new KillGate();
        await using var chat = await LoopbackServer.StartAsync(gate.Wrap(ChatHandler(StableLlavaAnswer, "writer"), "/v1/chat/completions"));
        await using var images = await LoopbackServer.StartAsync(gate.Wrap(A1111Double.Handler, "/sdapi/v1/txt2img"));
        string config = temp.Write("run.yaml", $"""
            llm:
              endpoints: [{chat.BaseUrl}v1]
              model: writer
            vision:
              endpoints: [{chat.BaseUrl}v1]
              model: vlm
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
        string[] Command(string output, params string[] more) =>
            ["generate", "--out", output, "--config", config, "--abilities", "animal,color", "--count", "5",
            "--seed", "5", "--quiet", "--concurrency", "3", "--max-failure-ratio", "1", .. more];

        var report = KillResume.Run(gate, o => Command(o), temp.File("reference"), temp.File("killed"), kills: 4, seed: 11);
        AssertLaws("stablellava", report, temp.File("reference"), temp.File("killed"));

        // A second run in the same folder resumes: everything is finished, nothing is sent, the dataset is unchanged.
        int before = gate.Received;
        var again = CliRunner.Run(Command(temp.File("killed")));
        Assert.True(again.ExitCode == 0, again.Error + again.Out);
        Assert.Equal(before, gate.Received);
        Assert.Equal(KillResume.OutputHashes(temp.File("reference")), KillResume.OutputHashes(temp.File("killed")));

        // --force-new starts the folder afresh; the responses are still in its cache, so again nothing is paid twice.
        var fresh = CliRunner.Run(Command(temp.File("killed"), "--force-new"));
        Assert.True(fresh.ExitCode == 0, fresh.Error + fresh.Out);
        Assert.Equal(before, gate.Received);
        Assert.Equal(KillResume.OutputHashes(temp.File("reference")), KillResume.OutputHashes(temp.File("killed")));

        // Two shards merged equal the unsharded run, and together send what it sent.
        for (int shard = 0; shard < 2; shard++)
        {
            var part = CliRunner.Run(Command(temp.File("shard" + shard), "--shard-index", shard.ToString(CultureInfo.InvariantCulture),
                "--shard-count", "2"));
            Assert.True(part.ExitCode == 0, part.Error + part.Out);
        }

        Assert.Equal(before + report.Uninterrupted, gate.Received);
        var merged = CliRunner.Run("merge", temp.File("shard0"), temp.File("shard1"), "--out", temp.File("merged"));
        Assert.True(merged.ExitCode == 0, merged.Error + merged.Out);
        Assert.Equal(KillResume.OutputHashes(temp.File("reference")), KillResume.OutputHashes(temp.File("merged")));
        Assert.Equal(report.Uninterrupted, KillResume.ManifestRequests(temp.File("merged")));
    }

    [Fact]
    public async Task Svit_WithLlm_KilledAndResumed_KeepsTheLaws()
    {
        using var temp = new TempDir();
        var gate = new KillGate();
        await using var chat = await LoopbackServer.StartAsync(gate.Wrap(ChatHandler(AnnotatedAnswer, "writer"), "/v1/chat/completions"));
        string config = temp.Write("llm.yaml",
            File.ReadAllText(AnnotatedRecipeOfflineTests.VgConfig(temp)) + $"\nllm:\n  endpoints: [{chat.BaseUrl}v1]\n  model: writer\n");
        var report = KillResume.Run(gate, o =>
            ["generate", "--recipe", "svit", "--out", o, "--config", config, "--seed", "4", "--quiet", "--concurrency", "2",
            "--max-failure-ratio", "1"],
            temp.File("reference"), temp.File("killed"), kills: 3, seed: 12);
        AssertLaws("svit", report, temp.File("reference"), temp.File("killed"));
    }

    [Fact]
    public async Task LlavaInstruct_WithLlm_KilledAndResumed_KeepsTheLaws()
    {
        using var temp = new TempDir();
        var gate = new KillGate();
        await using var chat = await LoopbackServer.StartAsync(gate.Wrap(ChatHandler(AnnotatedAnswer, "writer"), "/v1/chat/completions"));
        string config = temp.Write("llm.yaml",
            File.ReadAllText(AnnotatedRecipeOfflineTests.CocoConfig(temp)) + $"\nllm:\n  endpoints: [{chat.BaseUrl}v1]\n  model: writer\n");
        var report = KillResume.Run(gate, o =>
            ["generate", "--recipe", "llava-instruct", "--out", o, "--config", config, "--seed", "4", "--quiet", "--concurrency", "2",
            "--max-failure-ratio", "1"],
            temp.File("reference"), temp.File("killed"), kills: 3, seed: 13);
        AssertLaws("llava-instruct", report, temp.File("reference"), temp.File("killed"));
    }

    [Fact]
    public async Task Render_WithA1111_KilledAndResumed_KeepsTheLaws()
    {
        using var temp = new TempDir();
        var gate = new KillGate();
        await using var images = await LoopbackServer.StartAsync(gate.Wrap(A1111Double.Handler, "/sdapi/v1/txt2img"));
        var entries = Enumerable.Range(0, 24).Select(i => new Dictionary<string, string>
        {
            ["id"] = i.ToString(CultureInfo.InvariantCulture),
            ["image"] = $"animal/{i}.jpg",
            ["prompt"] = $"(({Animals[i % Animals.Length]})), {Places[(i * 7) % Places.Length]}, realistic",
            ["question"] = "What animal is this?",
            ["answer"] = Animals[i % Animals.Length],
        });
        string prompts = temp.Write("animal.json", JsonSerializer.Serialize(entries));
        string config = temp.Write("run.yaml",
            $"images:\n  backend: a1111\n  endpoints: [{images.BaseUrl}]\n  width: 512\n  height: 512\n  steps: 20\n");
        var report = KillResume.Run(gate, o =>
            ["render", "--prompt-path", prompts, "--save-path", o, "--config", config, "--quiet", "--concurrency", "3"],
            temp.File("reference"), temp.File("killed"), kills: 4, seed: 14);
        AssertLaws("render", report, temp.File("reference"), temp.File("killed"));
    }

    private static void AssertLaws(string name, KillResumeReport report, string reference, string killed, bool manifest = true)
    {
        if (Environment.GetEnvironmentVariable("VISINSTRUCT_LAW_REPORT") is { Length: > 0 } log)
        {
            // For the benchmark notes: what each law run did (set the variable to a file to collect them).
            string failures = Path.Combine(reference, "failures.jsonl");
            File.AppendAllText(log, string.Create(CultureInfo.InvariantCulture,
                $"{name}: {report}; lost answers counted {(manifest ? KillResume.ManifestLost(killed) : -1)}; failed items in the "
                    + $"reference {(File.Exists(failures) ? File.ReadAllLines(failures).Length : 0)}\n"));
        }

        Assert.True(report.Kills >= 1, "no run was killed mid-way: " + report);
        // (a)
        var expected = KillResume.OutputHashes(reference);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, KillResume.OutputHashes(killed));
        // (b)
        Assert.True(report.Interrupted <= report.Uninterrupted + report.InFlightAtKills.Sum(), report.ToString());
        if (manifest)
        {
            // (c) Uninterrupted, the manifest counts exactly what the servers received.
            Assert.Equal(report.Uninterrupted, KillResume.ManifestRequests(reference));
            // Killed: every answer that came and was recorded is counted once, and every request in flight at a
            // kill is counted as sent (its answer lost). A request the process had recorded as sending when it was
            // killed, but not yet written to the server, is counted too: the count errs on the paying side, never
            // below what the servers received.
            long counted = KillResume.ManifestRequests(killed);
            long lost = KillResume.ManifestLost(killed);
            int inFlight = report.InFlightAtKills.Sum();
            Assert.Equal(report.Interrupted - inFlight, counted - lost);
            Assert.InRange(lost, inFlight, inFlight + (report.Kills * 8));
            Assert.True(counted >= report.Interrupted, report.ToString());
        }
    }

    // ---- the servers: answers that depend on the request's content only ----

    private static Func<Microsoft.AspNetCore.Http.HttpContext, RecordedRequest, Task> ChatHandler(Func<string, string, string> answer,
        string model) => async (context, request) =>
    {
        if (request.Path == "/v1/models")
        {
            await context.Json($"{{\"object\": \"list\", \"data\": [{{\"id\": \"{model}\"}}, {{\"id\": \"vlm\"}}]}}");
            return;
        }

        using var body = JsonDocument.Parse(request.Body);
        var messages = body.RootElement.GetProperty("messages");
        string system = Text(messages[0]);
        string user = Text(messages[messages.GetArrayLength() - 1]);
        // A little latency, so that a run has requests in flight to lose.
        await Task.Delay(15);
        await context.Json(FakeChatServer.Completion(model, answer(system, user), usage: true));
    };

    private static string Text(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String ? content.GetString()! : content[0].GetProperty("text").GetString()!;
    }

    private static int Hash(string text, int salt) =>
        (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(salt.ToString(CultureInfo.InvariantCulture) + "\n" + text)))
        & int.MaxValue);

    [GeneratedRegex("Write ([0-9]+) new prompts")]
    private static partial Regex PromptCount();

    [GeneratedRegex("starts with \"(Yes|No)\"")]
    private static partial Regex YesNo();

    private static string StableLlavaAnswer(string system, string user)
    {
        if (system.StartsWith("You write prompts", StringComparison.Ordinal))
        {
            int n = PromptCount().Match(user) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 2;
            var prompts = Enumerable.Range(0, n).Select(i => new
            {
                subject = Animals[Hash(user, i) % Animals.Length],
                attribute = "",
                context = Places[Hash(user, i + 100) % Places.Length],
                modifiers = new[] { "realistic", "detailed shading" },
            });
            return JsonSerializer.Serialize(new { prompts });
        }

        if (system.StartsWith("You write short training conversations", StringComparison.Ordinal))
        {
            int turns = user.Contains("Write one turn", StringComparison.Ordinal) ? 1 : 3;
            string yesNo = YesNo().Match(user) is { Success: true } y ? y.Groups[1].Value + ", " : "";
            var list = Enumerable.Range(0, turns)
                .Select(i =>
                new { question = $"<image>\nQuestion {i + 1} about it?", answer = $"{yesNo}answer {i + 1} ({Hash(user, i) % 1000})." })
                .ToList();
            return JsonSerializer.Serialize(new { turns = list });
        }

        return "Yes.";
    }

    [GeneratedRegex(@"^(.+): (\[[0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+\])$", RegexOptions.Multiline)]
    private static partial Regex BoxLine();

    /// <summary>SVIT's four tasks and LLaVA-Instruct's three, in the forms their built-in prompts ask for.</summary>
    private static string AnnotatedAnswer(string system, string user)
    {
        int h = Hash(user, 0) % 1000;
        if (system.Contains("answering questions about particular parts", StringComparison.Ordinal))
        {
            string objects = user.Contains("(2) objects:", StringComparison.Ordinal)
                ? user[user.IndexOf("(2) objects:", StringComparison.Ordinal)..] : user;
            int end = objects.IndexOf("(3)", StringComparison.Ordinal);
            var lines = BoxLine().Matches(end > 0 ? objects[..end] : objects).Take(10).ToList();
            return string.Join("\n", lines.Select(l => $"Question: What is the <st>{l.Groups[1].Value}<ed> {l.Groups[2].Value} "
                + $"like?\nAnswer: The <st>{l.Groups[1].Value}<ed> {l.Groups[2].Value} is plain."));
        }

        if (system.Contains("talking about one photograph", StringComparison.Ordinal))
        {
            var sb = new StringBuilder();
            for (int c = 1; c <= 3; c++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"Topic: Topic {c} of {h}\n");
                for (int q = 1; q <= 5; q++)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"User: Question {c}.{q}?\nGPT: Answer {c}.{q} for {h}.\n");
                }
            }

            return sb.ToString();
        }

        if (system.Contains("reasoning about one photograph", StringComparison.Ordinal))
        {
            return string.Concat(Enumerable.Range(1, 15)
                .Select(i => $"Question: Why is thing {i} there?\nAnswer: Because of reason {i} ({h}).\n"));
        }

        if (system.Contains("Write a conversation", StringComparison.Ordinal))
        {
            return string.Join("\n===\n",
                Enumerable.Range(1, 3).Select(i => $"Question:\nWhat is shown, part {i}?\n===\nAnswer:\nPart {i} of scene {h}."));
        }

        if (system.Contains("Question:\n<question>", StringComparison.Ordinal))
        {
            return $"Question:\nWhat should one keep an eye on here?\n===\nAnswer:\nThe scene {h} needs care, for reasons that the "
                + $"picture makes plain.";
        }

        return $"The picture {h} shows a scene in daylight.\n\nEverything in it is where one would expect.";
    }
}
