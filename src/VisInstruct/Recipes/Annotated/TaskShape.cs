namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// How many conversations an answer should hold and how many question-answer pairs each (null: any number, at least one).
/// </summary>
public readonly record struct TaskShape(int Conversations, int? PairsEach)
{
    /// <summary>The total pairs expected, or null when any number will do.</summary>
    public int? TotalPairs => PairsEach * Conversations;
}
