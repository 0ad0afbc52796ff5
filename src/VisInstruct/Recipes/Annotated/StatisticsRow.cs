namespace VisInstruct.Recipes.Annotated;

/// <summary>One row of the statistics table.</summary>
public sealed record StatisticsRow(long Images, long ObjectBoxes, long RegionDescriptions, long Captions, long Questions, long Answers);
