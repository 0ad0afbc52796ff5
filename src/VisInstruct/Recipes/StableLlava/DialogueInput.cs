namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// What the dialogue writer is asked about: the sample's ability and scenario, the image files it sees (null when it
/// writes from the facts alone), and the request's seed.
/// </summary>
internal sealed record DialogueInput(AbilitySpec Ability, Scenario Scenario, IReadOnlyList<string>? Images, ulong Seed);
