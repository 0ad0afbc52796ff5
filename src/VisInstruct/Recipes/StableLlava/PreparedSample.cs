namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// A sample once its scenario is fixed (the prompt stage's result): what it shows, where that came from
/// (<see cref="SampleSource"/>), and, on the first sample of an LLM prompt lane, the lane's tallies.
/// </summary>
internal sealed record PreparedSample(SampleInput Input, Scenario Scenario, string Source, LaneResult? Lane);
