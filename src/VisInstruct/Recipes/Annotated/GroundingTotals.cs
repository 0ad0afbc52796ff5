namespace VisInstruct.Recipes.Annotated;

/// <summary>The grounding check's totals.</summary>
public sealed record GroundingTotals(long Pairs, long PairsKept, long Boxes, long BoxesPassed,
    IReadOnlyList<KeyValuePair<string, long>> Dropped);
