namespace VisInstruct.Recipes.StableLlava;

/// <summary>One sample to make: an ability and the sample's index in it (the work item the engine hands the first stage).</summary>
internal sealed record SampleInput(AbilitySpec Ability, int Index);
