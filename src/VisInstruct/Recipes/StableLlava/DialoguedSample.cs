namespace VisInstruct.Recipes.StableLlava;

/// <summary>A sample with its dialogue, its images not made yet (the dialogue is written first when it needs no image).</summary>
internal sealed record DialoguedSample(PreparedSample Prepared, IReadOnlyList<QaPair> Turns, int TurnsTrimmed);
