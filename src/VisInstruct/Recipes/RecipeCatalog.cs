using VisInstruct.Engine;
using VisInstruct.Recipes.Annotated;

namespace VisInstruct.Recipes;

/// <summary>The recipes by name, for what needs only their name: the dataset card and statistics when shards are merged.</summary>
public static class RecipeCatalog
{
    private static readonly Dictionary<string, Func<DatasetSummary, string>> Cards = new(StringComparer.Ordinal)
    {
        [RenderRecipe.Name] = RenderRecipe.Card,
        [StableLlava.StableLlavaRecipe.Name] = StableLlava.StableLlavaRecipe.Card,
        [AnnotatedRecipe.SvitName] = AnnotatedRecipe.Card,
        [AnnotatedRecipe.LlavaInstructName] = AnnotatedRecipe.Card,
    };

    private static readonly Dictionary<string, Func<DatasetSummary, string>> Statistics = new(StringComparer.Ordinal)
    {
        [AnnotatedRecipe.SvitName] = AnnotatedRecipe.StatisticsJson,
        [AnnotatedRecipe.LlavaInstructName] = AnnotatedRecipe.StatisticsJson,
    };

    /// <summary>The card renderer of a recipe (null: the engine's generic card).</summary>
    public static Func<DatasetSummary, string>? CardFor(string recipe) => Cards.GetValueOrDefault(recipe);

    /// <summary>The <c>stats.json</c> writer of a recipe (null: none).</summary>
    public static Func<DatasetSummary, string>? StatisticsFor(string recipe) => Statistics.GetValueOrDefault(recipe);
}
