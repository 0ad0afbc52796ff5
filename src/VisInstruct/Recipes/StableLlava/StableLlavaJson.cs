using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>A prompt as the prompt writer returns it.</summary>
public sealed record WrittenPrompt(string Subject, string? Attribute, string Context, List<string> Modifiers);

/// <summary>The prompt writer's answer.</summary>
public sealed record WrittenPrompts(List<WrittenPrompt> Prompts);

/// <summary>One turn as the dialogue writer returns it.</summary>
public sealed record WrittenTurn(string Question, string Answer, string? Verdict = null);

/// <summary>The dialogue writer's answer.</summary>
public sealed record WrittenDialogue(List<WrittenTurn> Turns);

/// <summary>Source-generated JSON for what the StableLLaVA LLM stages return.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WrittenPrompts))]
[JsonSerializable(typeof(WrittenDialogue))]
internal sealed partial class StableLlavaJsonContext : JsonSerializerContext;

/// <summary>
/// The JSON schemas the LLM stages ask for. Each says exactly what the stage accepts, so a server that decodes to the
/// schema (vLLM, SGLang, llama.cpp guided decoding) can only write a usable answer: counts as
/// <c>minItems</c>/<c>maxItems</c>, closed sets as <c>enum</c>, the length limits the stage applies, every property
/// required and no others.
/// </summary>
internal static class StableLlavaSchemas
{
    /// <summary>Longest subject, attribute, context and modifier a written prompt may have (longer ones are turned away).</summary>
    public const int SubjectLength = 80, AttributeLength = 60, ContextLength = 120, ModifierLength = 40, Modifiers = 5;

    /// <summary>
    /// A batch of 1 to <paramref name="batchSize"/> prompts; the attribute (when the ability has one) is one of
    /// <paramref name="colors"/> for the colour ability.
    /// </summary>
    public static JsonElement Prompts(string? keyAttribute, IReadOnlyList<string> colors, int batchSize)
    {
        var properties = new JsonObject
        {
            ["subject"] = Text(1, SubjectLength),
        };
        var required = new JsonArray("subject");
        if (keyAttribute is not null)
        {
            properties["attribute"] = keyAttribute == "color" ? Enum(colors) : Text(1, AttributeLength);
            required.Add("attribute");
        }

        properties["context"] = Text(0, ContextLength);
        properties["modifiers"] = new JsonObject { ["type"] = "array", ["items"] = Text(1, ModifierLength), ["maxItems"] = Modifiers };
        required.Add("context");
        required.Add("modifiers");
        var prompt = Object(properties, required);
        var schema = Object(new JsonObject
        {
            ["prompts"] = new JsonObject { ["type"] = "array", ["items"] = prompt, ["minItems"] = 1, ["maxItems"] = Math.Max(1, batchSize) },
        }, new JsonArray("prompts"));
        return Parse(schema);
    }

    /// <summary>
    /// A dialogue of <paramref name="minTurns"/> to <paramref name="maxTurns"/> turns, each a non-empty question and
    /// answer; with <paramref name="verdict"/> (a yes/no sample) each turn also carries the verdict its answer gives,
    /// which can only be the true one.
    /// </summary>
    public static JsonElement Dialogue(int minTurns, int maxTurns, string? verdict = null)
    {
        var properties = new JsonObject { ["question"] = Text(1, null), ["answer"] = Text(1, null) };
        var required = new JsonArray("question", "answer");
        if (verdict is not null)
        {
            properties["verdict"] = Enum([verdict]);
            required.Add("verdict");
        }

        var schema = Object(new JsonObject
        {
            ["turns"] = new JsonObject { ["type"] = "array", ["items"] = Object(properties, required), ["minItems"] = minTurns, ["maxItems"] = maxTurns },
        }, new JsonArray("turns"));
        return Parse(schema);
    }

    private static JsonObject Text(int min, int? max)
    {
        var text = new JsonObject { ["type"] = "string", ["minLength"] = min };
        if (max is { } m)
        {
            text["maxLength"] = m;
        }

        return text;
    }

    private static JsonObject Enum(IEnumerable<string> values)
    {
        var list = new JsonArray();
        foreach (string value in values)
        {
            list.Add(value);
        }

        return new JsonObject { ["type"] = "string", ["enum"] = list };
    }

    private static JsonObject Object(JsonObject properties, JsonArray required) => new()
    {
        ["type"] = "object",
        ["properties"] = properties,
        ["required"] = required,
        ["additionalProperties"] = false,
    };

    private static JsonElement Parse(JsonObject schema) => JsonDocument.Parse(schema.ToJsonString()).RootElement.Clone();
}
