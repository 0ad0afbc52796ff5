namespace VisInstruct.Recipes.StableLlava;

/// <summary>A sample with its images and its dialogue: what the assemble stage writes out.</summary>
internal sealed record WrittenSample(RenderedSample Rendered, IReadOnlyList<QaPair> Turns, int TurnsTrimmed);
