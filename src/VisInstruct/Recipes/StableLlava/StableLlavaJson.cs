using System.Text.Json.Serialization;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>A prompt as the prompt writer returns it.</summary>
internal sealed record WrittenPrompt(string Subject, string? Attribute, string Context, List<string> Modifiers);

/// <summary>The prompt writer's answer.</summary>
internal sealed record WrittenPrompts(List<WrittenPrompt> Prompts);

/// <summary>One turn as the dialogue writer returns it.</summary>
internal sealed record WrittenTurn(string Question, string Answer, string? Verdict = null);

/// <summary>The dialogue writer's answer.</summary>
internal sealed record WrittenDialogue(List<WrittenTurn> Turns);

/// <summary>The StableLLaVA LLM tasks' answers, source-generated (<see cref="PromptWriter"/>, <see cref="DialogueWriter"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WrittenPrompts))]
[JsonSerializable(typeof(WrittenDialogue))]
internal sealed partial class StableLlavaJsonContext : JsonSerializerContext;
