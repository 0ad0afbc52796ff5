using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using VisInstruct.Backends.Llm;
using VisInstruct.Json;
using VisInstruct.Randomness;
using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// The dialogue writer, as an LLM task: the ability's instructions, an in-context example (the template writer's
/// dialogue for one of the ability's example prompts), then the sample's facts and its kind's instruction, with the
/// image(s) when the writer sees them. The schema asks for the kind's number of turns, each a non-empty question and
/// answer and, for a yes/no sample, the verdict (which can only be the true one); an answer with too few turns, an
/// empty one or the wrong verdict has problems. <see cref="Turns"/> makes the sample's turns from a usable answer.
/// </summary>
internal sealed class DialogueWriter(AbilityCatalog catalog) : LlmTask<DialogueInput, WrittenDialogue>
{
    private const string VerdictSlot = "yes_no";

    public override string Name => "dialogue";

    public override JsonTypeInfo<WrittenDialogue> Type => StableLlavaJsonContext.Default.WrittenDialogue;

    public override LlmRequest Request(DialogueInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var example = Example(input.Ability, input.Scenario.Kind);
        var messages = new List<LlmMessage> { LlmMessage.System(catalog.DialogueWriter.System ?? "") };
        if (example is not null)
        {
            messages.Add(LlmMessage.User(UserMessage(example)));
            messages.Add(LlmMessage.Assistant(Json(example.TemplateTurns, example.Slots.GetValueOrDefault(VerdictSlot))));
        }

        messages.Add(LlmMessage.User(UserMessage(input.Scenario), input.Images));
        return new LlmRequest { Messages = messages, Seed = input.Seed };
    }

    /// <summary>Why an answer cannot be used. More turns than needed are fine: the first ones are kept.</summary>
    public override IReadOnlyList<string> Problems(WrittenDialogue answer, DialogueInput input)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(input);
        var scenario = input.Scenario;
        var (min, max) = TurnRange(scenario);
        var turns = (answer.Turns ?? []).Take(max).ToList();
        if (turns.Count < min)
        {
            return [min == max
                ? string.Create(CultureInfo.InvariantCulture, $"expected {min} turn(s), got {turns.Count}")
                : string.Create(CultureInfo.InvariantCulture, $"expected {min} to {max} turns, got {turns.Count}")];
        }

        if (turns.Any(t => t is null || string.IsNullOrWhiteSpace(t.Question) || string.IsNullOrWhiteSpace(t.Answer)))
        {
            return ["a question or an answer is empty"];
        }

        if (scenario.Slots.TryGetValue(VerdictSlot, out var yesNo))
        {
            string first = turns[0].Answer.TrimStart();
            string other = yesNo == "Yes" ? "No" : "Yes";
            bool says = StartsWithWord(first, yesNo);
            bool verdict = string.Equals(turns[0].Verdict?.Trim(), yesNo, StringComparison.OrdinalIgnoreCase);
            if (StartsWithWord(first, other) || (!says && !verdict))
            {
                return [$"the answer must start with \"{yesNo}\" (the {scenario.Slots["subject"]} is {scenario.Slots["color"]})"];
            }
        }

        return [];
    }

    protected override void Narrow(JsonObject schema, DialogueInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var turns = LlmSchemas.Property(schema, "turns");
        var turn = LlmSchemas.Property(turns, "[]");
        LlmSchemas.Property(turn, "question")["minLength"] = 1;
        LlmSchemas.Property(turn, "answer")["minLength"] = 1;
        var properties = (JsonObject)turn["properties"]!;
        if (input.Scenario.Slots.GetValueOrDefault(VerdictSlot) is { } verdict)
        {
            properties["verdict"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(verdict) };
            ((JsonArray)turn["required"]!).Add("verdict");
        }
        else
        {
            properties.Remove("verdict");
        }

        var (min, max) = TurnRange(input.Scenario);
        turns["minItems"] = min;
        turns["maxItems"] = max;
    }

    /// <summary>
    /// The sample's turns from a usable answer (one without <see cref="Problems"/>), and how many past the asked-for
    /// number were cut off: image tokens removed (the recipe places them), the verdict put first when the answer
    /// left it to the verdict field, the kind's fixed first question.
    /// </summary>
    public static (IReadOnlyList<QaPair> Turns, int Trimmed) Turns(WrittenDialogue answer, DialogueInput input)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(input);
        var scenario = input.Scenario;
        var kept = answer.Turns.Take(TurnRange(scenario).Max).ToList();
        var turns = kept.Select(t => new QaPair(Clean(t.Question), Clean(t.Answer))).ToList();
        if (scenario.Slots.GetValueOrDefault(VerdictSlot) is { } verdict && !StartsWithWord(turns[0].Answer, verdict))
        {
            // The verdict field said it (the schema allows only the true one); the answer text did not start with it.
            turns[0] = turns[0] with { Answer = verdict + ", " + LowerFirst(turns[0].Answer) };
        }

        if (scenario.FixedQuestion is { } question)
        {
            turns[0] = turns[0] with { Question = question };
        }

        return (turns, answer.Turns.Count - kept.Count);
    }

    /// <summary>How many turns a kind's dialogue has: multi-turn one per image, QA two to four, the others one.</summary>
    private static (int Min, int Max) TurnRange(Scenario scenario) => scenario.Kind switch
    {
        "qa" => (2, 4),
        "multi_turn" => (scenario.Images.Count, scenario.Images.Count),
        _ => (1, 1),
    };

    private static bool StartsWithWord(string text, string word)
    {
        string t = text.TrimStart();
        return t.StartsWith(word, StringComparison.OrdinalIgnoreCase) && (t.Length == word.Length || !char.IsLetter(t[word.Length]));
    }

    private static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    private string UserMessage(Scenario scenario)
    {
        string kind = catalog.Kinds.TryGetValue(scenario.Kind, out var own) ? own : catalog.Kinds["qa"];
        string instruction = Placeholders.Fill(kind, scenario.Slots);
        return Placeholders.Fill(catalog.DialogueWriter.User ?? "", new Dictionary<string, string>
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
            var composer = new SceneComposer(SceneComposer.DefaultSize, SceneComposer.DefaultSize);
            return ProceduralScenarios.Build(ability, kind, 0, rng, composer, catalog.CaptionInstructions);
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
