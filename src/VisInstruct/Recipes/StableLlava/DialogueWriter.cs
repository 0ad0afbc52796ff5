using System.Globalization;
using System.Text;
using VisInstruct.Backends.Llm;
using VisInstruct.Engine;
using VisInstruct.Json;
using VisInstruct.Rendering;
using VisInstruct.Text;

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

    public async Task<IReadOnlyList<QaPair>> WriteAsync(AbilitySpec ability, Scenario scenario, string scope, BackendGateway gateway, ulong seed,
        IReadOnlyList<string> imageFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ability);
        ArgumentNullException.ThrowIfNull(scenario);
        if (llm is null)
        {
            return scenario.TemplateTurns;
        }

        var example = Example(ability, scenario.Kind);
        var messages = new List<LlmMessage> { LlmMessage.System(catalog.DialogueWriter.System ?? "") };
        if (example is not null)
        {
            messages.Add(LlmMessage.User(UserMessage(example)));
            messages.Add(LlmMessage.Assistant(Json(example.TemplateTurns)));
        }

        messages.Add(LlmMessage.User(UserMessage(scenario), SeesImage ? imageFiles : null));
        int? expected = ExpectedTurns(scenario);
        var written = await llm.CompleteJsonAsync(scope, gateway, new LlmRequest { Messages = messages, Seed = seed },
            new LlmSchema("dialogue", StableLlavaSchemas.Dialogue), StableLlavaJsonContext.Default.WrittenDialogue,
            dialogue => Problem(dialogue, scenario, expected), cancellationToken).ConfigureAwait(false);
        var turns = written.Turns.Select(t => new QaPair(Clean(t.Question), Clean(t.Answer))).ToList();
        if (scenario.FixedQuestion is { } question)
        {
            turns[0] = turns[0] with { Question = question };
        }

        return turns;
    }

    /// <summary>How many turns a kind's dialogue has (null: two to four).</summary>
    private static int? ExpectedTurns(Scenario scenario) => scenario.Kind switch
    {
        "qa" => null,
        "multi_turn" => scenario.Images.Count,
        _ => 1,
    };

    private static string? Problem(WrittenDialogue dialogue, Scenario scenario, int? expected)
    {
        var turns = dialogue.Turns ?? [];
        if (expected is { } n && turns.Count != n)
        {
            return string.Create(CultureInfo.InvariantCulture, $"expected {n} turn(s), got {turns.Count}");
        }

        if (expected is null && turns.Count is < 2 or > 4)
        {
            return string.Create(CultureInfo.InvariantCulture, $"expected 2 to 4 turns, got {turns.Count}");
        }

        if (turns.Any(t => string.IsNullOrWhiteSpace(t.Question) || string.IsNullOrWhiteSpace(t.Answer)))
        {
            return "a question or an answer is empty";
        }

        if (scenario.Slots.TryGetValue("yes_no", out var yesNo) && !turns[0].Answer.TrimStart().StartsWith(yesNo, StringComparison.OrdinalIgnoreCase))
        {
            return $"the answer must start with \"{yesNo}\" (the {scenario.Slots["subject"]} is {scenario.Slots["color"]})";
        }

        return null;
    }

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

    private static string Json(IReadOnlyList<QaPair> turns)
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
