using VisInstruct.Engine;

namespace VisInstruct.Recipes;

/// <summary>The recipes by name, for what needs only their name: the dataset card when shards are merged.</summary>
public static class RecipeCatalog
{
    private static readonly Dictionary<string, Func<DatasetSummary, string>> Cards = new(StringComparer.Ordinal)
    {
        [RenderRecipe.Name] = RenderRecipe.Card,
        [StableLlava.StableLlavaRecipe.Name] = StableLlava.StableLlavaRecipe.Card,
    };

    /// <summary>The card renderer of a recipe (null: the engine's generic card).</summary>
    public static Func<DatasetSummary, string>? CardFor(string recipe) => Cards.GetValueOrDefault(recipe);
}
