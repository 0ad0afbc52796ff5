namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// One request of a prompt lane: the ability, the examples shown in-context (seed examples and prompts the lane
/// accepted), the subjects suggested, and the request's seed, all drawn from the batch's seed.
/// </summary>
internal sealed record PromptBatch(AbilitySpec Ability, IReadOnlyList<PromptSpec> Shown, IReadOnlyList<string> Subjects, ulong Seed);
