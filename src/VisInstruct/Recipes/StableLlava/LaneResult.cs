namespace VisInstruct.Recipes.StableLlava;

/// <summary>What one lane's prompt writing produced: the accepted prompts in order, and what was turned away.</summary>
internal sealed record LaneResult(
    IReadOnlyList<PromptSpec> Prompts, int RejectedExact, int RejectedNear, int Invalid, int Requests, int Trimmed = 0);
