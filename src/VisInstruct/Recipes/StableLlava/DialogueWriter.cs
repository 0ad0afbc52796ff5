using System.Globalization;
using System.Text;
using VisInstruct.Backends.Llm;
using VisInstruct.Engine;
using VisInstruct.Json;
using VisInstruct.Randomness;
using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// Stage 3, dialogue writing. With an LLM: the ability's instructions, an in-context example (the template writer's
/// dialogue for one of the ability's example prompts), then the sample's facts and its kind's instruction; the answer
/// is structured JSON, validated (turn count, nothing empty, the right yes/no), repaired once or recorded as a failure.
/// With <see cref="SeesImage"/> a vision model gets the rendered image(s) too. Without an LLM: the template writer's
/// dialogue, from the facts (exact for procedural scenes).
/// </summary>
public sealed class DialogueWriter(AbilityCatalog catalog, LlmService? llm, bool seesImage = false)
{
    public bool UsesLlm => llm is not null;

    public bool SeesImage => seesImage && llm is not null;

    public string Source => llm is null ? "template" : "llm";

    /// <summary>The dialogue, and how many turns past the asked-for number were cut off (the first ones are kept).</summary>
    public async Task<(IReadOnlyList<QaPair> Turns, int Trimmed)> WriteAsync(AbilitySpec ability, Scenario scenario, string scope, BackendGateway gateway, ulong seed,
        IReadOnlyList<string> imageFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ability);
        ArgumentNullException.ThrowIfNull(scenario);
        if (llm is null)
        {
            return (scenario.TemplateTurns, 0);
        }

        var example = Example(ability, scenario.Kind);
        var messages = new List<LlmMessage> { LlmMessage.System(catalog.DialogueWriter.System ?? "") };
        if (example is not null)
        {
            messages.Add(LlmMessage.User(UserMessage(example)));
            messages.Add(LlmMessage.Assistant(Json(example.TemplateTurns, example.Slots.GetValueOrDefault("yes_no"))));
        }

        messages.Add(LlmMessage.User(UserMessage(scenario), SeesImage ? imageFiles : null));
        var (min, max) = TurnRange(scenario);
        string? verdict = scenario.Slots.GetValueOrDefault("yes_no");
        var written = await llm.CompleteJsonAsync(scope, gateway, new LlmRequest { Messages = messages, Seed = seed },
            new LlmSchema("dialogue", StableLlavaSchemas.Dialogue(min, max, verdict)), StableLlavaJsonContext.Default.WrittenDialogue,
            dialogue => Problem(dialogue, scenario, min, max), cancellationToken).ConfigureAwait(false);
        var kept = written.Turns.Take(max).ToList();
        var turns = kept.Select(t => new QaPair(Clean(t.Question), Clean(t.Answer))).ToList();
        if (verdict is not null && !StartsWithWord(turns[0].Answer, verdict))
        {
            // The verdict field said it (the schema allows only the true one); the answer text did not start with it.
            turns[0] = turns[0] with { Answer = verdict + ", " + LowerFirst(turns[0].Answer) };
        }

        if (scenario.FixedQuestion is { } question)
        {
            turns[0] = turns[0] with { Question = question };
        }

        return (turns, written.Turns.Count - kept.Count);
    }

    /// <summary>How many turns a kind's dialogue has: a multi-turn dialogue one per image, a QA dialogue two to four, the others one.</summary>
    private static (int Min, int Max) TurnRange(Scenario scenario) => scenario.Kind switch
    {
        "qa" => (2, 4),
        "multi_turn" => (scenario.Images.Count, scenario.Images.Count),
        _ => (1, 1),
    };

    /// <summary>Why an answer cannot be used (null: it can). More turns than needed are fine: the first ones are kept.</summary>
    private static string? Problem(WrittenDialogue dialogue, Scenario scenario, int min, int max)
    {
        var turns = (dialogue.Turns ?? []).Take(max).ToList();
        if (turns.Count < min)
        {
            return min == max
                ? string.Create(CultureInfo.InvariantCulture, $"expected {min} turn(s), got {turns.Count}")
                : string.Create(CultureInfo.InvariantCulture, $"expected {min} to {max} turns, got {turns.Count}");
        }

        if (turns.Any(t => t is null || string.IsNullOrWhiteSpace(t.Question) || string.IsNullOrWhiteSpace(t.Answer)))
        {
            return "a question or an answer is empty";
        }

        if (scenario.Slots.TryGetValue("yes_no", out var yesNo))
        {
            string answer = turns[0].Answer.TrimStart();
            string other = yesNo == "Yes" ? "No" : "Yes";
            bool says = StartsWithWord(answer, yesNo);
            bool verdict = string.Equals(turns[0].Verdict?.Trim(), yesNo, StringComparison.OrdinalIgnoreCase);
            if (StartsWithWord(answer, other) || (!says && !verdict))
            {
                return $"the answer must start with \"{yesNo}\" (the {scenario.Slots["subject"]} is {scenario.Slots["color"]})";
            }
        }

        return null;
    }

    private static bool StartsWithWord(string text, string word)
    {
        string t = text.TrimStart();
        return t.StartsWith(word, StringComparison.OrdinalIgnoreCase) && (t.Length == word.Length || !char.IsLetter(t[word.Length]));
    }

    private static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    private string UserMessage(Scenario scenario)
    {
        string instruction = PromptLanes.Fill(catalog.Kinds.TryGetValue(scenario.Kind, out var kind) ? kind : catalog.Kinds["qa"], scenario.Slots);
        return PromptLanes.Fill(catalog.DialogueWriter.User ?? "", new Dictionary<string, string>
        {
            ["facts"] = scenario.Facts,
            ["kind_instruction"] = instruction,
        });
    }

    /// <summary>The in-context example for a kind: the template writer's dialogue for a fixed example of the ability.</summary>
    private Scenario? Example(AbilitySpec ability, string kind)
    {
        var rng = new DeterministicRandom(0);
        if (ability.Procedural is not null)
        {
            return ProceduralScenarios.Build(ability, kind, 0, rng, new SceneComposer(512, 512), catalog.CaptionInstructions);
        }

        if (ability.Examples.Count == 0)
        {
            return null;
        }

        var spec = PromptScenarios.TemplatePrompt(ability, catalog, rng);
        return PromptScenarios.Build(ability, catalog, kind, 0, spec, rng);
    }

    private static string Json(IReadOnlyList<QaPair> turns, string? verdict)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("turns");
            writer.WriteStartArray();
            foreach (var turn in turns)
            {
                writer.WriteStartObject();
                writer.WriteString("question", turn.Question);
                writer.WriteString("answer", turn.Answer);
                if (verdict is not null)
                {
                    writer.WriteString("verdict", verdict);
                }
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Removes image tokens an LLM may have written (the recipe places them) and stray whitespace.</summary>
    private static string Clean(string text) => text.Replace("<image>", "", StringComparison.Ordinal).Trim();
}
