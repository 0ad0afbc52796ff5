namespace VisInstruct.Recipes.Annotated;

/// <summary>A detail description as found in an answer, and what was wrong with it.</summary>
public sealed record DetailParseResult(string Description, IReadOnlyList<ParseProblem> Problems)
{
    public bool NeedsRepair => Problems.Any(p => p.Repairable);

    public bool Usable => Description.Length > 0;
}
