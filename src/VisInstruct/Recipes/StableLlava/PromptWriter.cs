using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using VisInstruct.Backends.Llm;
using VisInstruct.Json;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// The prompt writer, as an LLM task: for a <see cref="PromptBatch"/>, the catalog's prompt-writer instructions with
/// the ability, the suggested subjects and the in-context examples, asking for up to a batch of prompts. The schema
/// allows 1 to a batch of prompts, each with the lengths <see cref="Spec"/> accepts, the attribute only when the
/// ability has one (one of the catalog's colours for the colour ability). <see cref="PromptLanes"/> runs the lanes.
/// </summary>
internal sealed partial class PromptWriter(AbilityCatalog catalog, int batchSize) : LlmTask<PromptBatch, WrittenPrompts>
{
    /// <summary>Longest subject, attribute, context and modifier a written prompt may have (longer ones are turned away).</summary>
    private const int SubjectLength = 80, AttributeLength = 60, ContextLength = 120, ModifierLength = 40, Modifiers = 5;

    /// <summary>Prompts asked for per request.</summary>
    public int BatchSize { get; } = batchSize;

    public override string Name => "prompts";

    public override JsonTypeInfo<WrittenPrompts> Type => StableLlavaJsonContext.Default.WrittenPrompts;

    public override LlmRequest Request(PromptBatch input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new LlmRequest
        {
            Messages = [LlmMessage.System(catalog.PromptWriter.System ?? ""), LlmMessage.User(UserMessage(input))],
            Seed = input.Seed,
        };
    }

    public override IReadOnlyList<string> Problems(WrittenPrompts answer, PromptBatch input) =>
        answer.Prompts is { Count: > 0 } ? [] : ["no prompts in the answer"];

    protected override void Narrow(JsonObject schema, PromptBatch input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var prompts = LlmSchemas.Property(schema, "prompts");
        var prompt = LlmSchemas.Property(prompts, "[]");
        var properties = (JsonObject)prompt["properties"]!;
        Text(LlmSchemas.Property(prompt, "subject"), 1, SubjectLength);
        if (input.Ability.KeyAttribute is { } attribute)
        {
            properties["attribute"] = attribute == "color"
                ? new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. catalog.Colors.Select(c => (JsonNode?)c)]) }
                : Text(new JsonObject { ["type"] = "string" }, 1, AttributeLength);
        }
        else
        {
            properties.Remove("attribute");
            var required = (JsonArray)prompt["required"]!;
            required.Remove(required.First(r => r!.GetValue<string>() == "attribute"));
        }

        Text(LlmSchemas.Property(prompt, "context"), 0, ContextLength);
        var modifiers = LlmSchemas.Property(prompt, "modifiers");
        Text(LlmSchemas.Property(modifiers, "[]"), 1, ModifierLength);
        modifiers["maxItems"] = Modifiers;
        prompts["minItems"] = 1;
        prompts["maxItems"] = Math.Max(1, BatchSize);
    }

    /// <summary>A written prompt as a spec, or null when it is not usable (empty, too long, a colour not in the list).</summary>
    public PromptSpec? Spec(AbilitySpec ability, WrittenPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(ability);
        ArgumentNullException.ThrowIfNull(prompt);
        string subject = Clean(prompt.Subject ?? "");
        string context = Clean(prompt.Context ?? "");
        if (subject.Length is 0 or > SubjectLength || context.Length > ContextLength)
        {
            return null;
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ability.KeyAttribute is { } key)
        {
            string value = Clean(prompt.Attribute ?? "").ToLowerInvariant();
            if (value.Length is 0 or > AttributeLength || (key == "color" && !catalog.Colors.Contains(value)))
            {
                return null;
            }

            attributes[key] = value;
        }

        var modifiers = (prompt.Modifiers ?? []).Select(Clean).Where(m => m.Length is > 0 and <= ModifierLength).Take(Modifiers).ToList();
        return new PromptSpec { Subject = subject.ToLowerInvariant(), Attributes = attributes, Context = context, Modifiers = modifiers };
    }

    private static JsonObject Text(JsonObject text, int min, int max)
    {
        text["minLength"] = min;
        text["maxLength"] = max;
        return text;
    }

    private string UserMessage(PromptBatch input)
    {
        var examples = new StringBuilder();
        foreach (var example in input.Shown)
        {
            examples.Append(Example(input.Ability, example)).Append('\n');
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["description"] = input.Ability.Description,
            ["count"] = BatchSize.ToString(CultureInfo.InvariantCulture),
            ["attribute_note"] = AttributeNote(input.Ability.KeyAttribute),
            ["subjects"] = input.Subjects.Count == 0 ? "any" : string.Join(", ", input.Subjects),
            ["examples"] = examples.ToString().TrimEnd(),
        };
        return Placeholders.Fill(catalog.PromptWriter.User ?? "", values);
    }

    private string AttributeNote(string? attribute) => attribute switch
    {
        "color" => $"its colour as \"attribute\" (one of: {string.Join(", ", catalog.Colors)}), ",
        "action" => "what it is doing as \"attribute\" (a short verb phrase), ",
        "style" => "the art style as \"attribute\" (such as oil painting or pixel art), ",
        "unusual" => "what is unusual about it as \"attribute\" (a short phrase), ",
        null => "",
        _ => $"its {attribute} as \"attribute\", ",
    };

    private static string Example(AbilitySpec ability, PromptSpec spec)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("subject", spec.Subject);
            if (ability.KeyAttribute is { } attribute && spec.Attribute(attribute) is { } value)
            {
                writer.WriteString("attribute", value);
            }

            writer.WriteString("context", spec.Context);
            writer.WritePropertyName("modifiers");
            writer.WriteStartArray();
            foreach (string modifier in spec.Modifiers)
            {
                writer.WriteStringValue(modifier);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Clean(string text) => Spaces()
        .Replace(text.Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal), " ")
        .Trim().Trim(',', '.');

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
