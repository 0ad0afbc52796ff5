using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using VisInstruct.Rendering;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes.Verification;

/// <summary>
/// Procedural scenes with an LLM dialogue writer (a loopback double): a pair whose answer gives an object a colour the
/// scene does not have is dropped and counted in the card; a question outside the language is kept and counted unverified.
/// </summary>
public class VerifierLlmDialogueTests
{
    private static readonly Regex Named = new($@"\b({string.Join('|', NamedColor.Palette.Select(c => c.Name))}) "
        + $@"({string.Join('|', Enum.GetValues<ShapeKind>().Select(ShapeNames.Name))})\b", RegexOptions.CultureInvariant);

    /// <summary>The double's dialogue: a right description, a question outside the language, a wrong colour.</summary>
    private static string Dialogue(string user)
    {
        int facts = Math.Max(0, user.IndexOf("object", StringComparison.Ordinal));
        var named = Named.Match(user, facts);
        string shape = named.Groups[2].Value;
        string wrong = NamedColor.Palette.Select(c => c.Name).First(c => !Regex.IsMatch(user, $@"\b{c}\b"));
        string verdict = Regex.Match(user, "starts with \"(Yes|No)\"") is { Success: true } yesNo ? yesNo.Groups[1].Value + ", " : "";
        var turns = new List<object>
        {
            new { question = "<image>\nWhat do you see in this picture?", answer = $"{verdict}I can see a {named.Value}." },
        };
        if (!user.Contains("Write one turn", StringComparison.Ordinal))
        {
            turns.Add(new { question = "Is the picture pretty?", answer = "It is quite pretty." });
            turns.Add(new { question = "What shapes do you see?", answer = $"There is a {wrong} {shape}." });
        }

        return JsonSerializer.Serialize(new { turns });
    }

    [Fact]
    public async Task AWrongColourFromTheLlm_IsDropped_AndCountedInTheCard()
    {
        using var temp = new TempDir();
        await using var chat = await LoopbackServer.StartAsync(async (context, request) =>
        {
            if (request.Path == "/v1/models")
            {
                await context.Json("{\"object\": \"list\", \"data\": [{\"id\": \"writer\"}]}");
                return;
            }

            using var body = JsonDocument.Parse(request.Body);
            var messages = body.RootElement.GetProperty("messages");
            string user = messages[messages.GetArrayLength() - 1].GetProperty("content").GetString()!;
            await context.Json(FakeChatServer.Completion("writer", Dialogue(user), usage: true));
        });
        string config = temp.Write("run.yaml", $"llm:\n  endpoints: [{chat.BaseUrl}v1]\n  model: writer\n");

        var result = CliRunner.Run("generate", "--out", temp.File("out"), "--config", config, "--abilities", "color", "--count", "8",
            "--seed", "3", "--quiet");
        Assert.True(result.ExitCode == 0, result.Error + result.Out);

        var answers = OutputScenes.Read(temp.File("out")).SelectMany(s => s.Turns).Select(t => t.Answer).ToList();
        Assert.NotEmpty(answers);
        Assert.DoesNotContain(answers, a => a.StartsWith("There is a ", StringComparison.Ordinal));
        Assert.Contains("It is quite pretty.", answers);
        string card = File.ReadAllText(temp.File("out/README.md"));
        var line = card.Split('\n').Single(l => l.StartsWith("Verification:", StringComparison.Ordinal));
        int wrong = int.Parse(Regex.Match(line, @"wrong-colour (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        int unverified = int.Parse(Regex.Match(line, @"(\d+) kept unverified").Groups[1].Value, CultureInfo.InvariantCulture);
        int kept = answers.Count(a => a == "It is quite pretty.");
        Assert.True(kept > 0, "no three-turn dialogue in the run");
        Assert.Equal(kept, unverified);
        Assert.Equal(kept, wrong);
        Assert.Contains($"checked {3 * kept + answers.Count(a => a.Contains("I can see", StringComparison.Ordinal)) - kept} pairs",
            line, StringComparison.Ordinal);
    }
}
