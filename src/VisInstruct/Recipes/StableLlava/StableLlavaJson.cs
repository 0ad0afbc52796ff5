using System.Text.Json;
using System.Text.Json.Serialization;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>A prompt as the prompt writer returns it.</summary>
public sealed record WrittenPrompt(string Subject, string? Attribute, string Context, List<string> Modifiers);

/// <summary>The prompt writer's answer.</summary>
public sealed record WrittenPrompts(List<WrittenPrompt> Prompts);

/// <summary>One turn as the dialogue writer returns it.</summary>
public sealed record WrittenTurn(string Question, string Answer);

/// <summary>The dialogue writer's answer.</summary>
public sealed record WrittenDialogue(List<WrittenTurn> Turns);

/// <summary>Source-generated JSON for what the StableLLaVA LLM stages return.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WrittenPrompts))]
[JsonSerializable(typeof(WrittenDialogue))]
internal sealed partial class StableLlavaJsonContext : JsonSerializerContext;

/// <summary>The JSON schemas the LLM stages ask for.</summary>
internal static class StableLlavaSchemas
{
    public static JsonElement Prompts(bool withAttribute)
    {
        string required = withAttribute ? "[\"subject\", \"attribute\", \"context\", \"modifiers\"]" : "[\"subject\", \"context\", \"modifiers\"]";
        string schema = """
            {"type": "object", "properties": {"prompts": {"type": "array", "items": {"type": "object", "properties": {
              "subject": {"type": "string"}, "attribute": {"type": "string"}, "context": {"type": "string"},
              "modifiers": {"type": "array", "items": {"type": "string"}}},
              "required": REQUIRED}}}, "required": ["prompts"]}
            """.Replace("REQUIRED", required, StringComparison.Ordinal);
        return JsonDocument.Parse(schema).RootElement.Clone();
    }

    public static JsonElement Dialogue { get; } = JsonDocument.Parse("""
        {"type": "object", "properties": {"turns": {"type": "array", "items": {"type": "object",
          "properties": {"question": {"type": "string"}, "answer": {"type": "string"}}, "required": ["question", "answer"]}}},
         "required": ["turns"]}
        """).RootElement.Clone();
}
