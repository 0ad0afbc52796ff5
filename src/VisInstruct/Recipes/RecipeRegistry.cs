namespace VisInstruct.Recipes;

/// <summary>
/// The recipes by name. <c>BuiltInRecipes.Registry</c> holds the built-in ones; a test (or a tool built on this library) makes
/// its own with more. Names are unique.
/// </summary>
public sealed class RecipeRegistry
{
    private readonly List<IRecipe> _recipes = [];

    public RecipeRegistry(IEnumerable<IRecipe> recipes)
    {
        ArgumentNullException.ThrowIfNull(recipes);
        foreach (var recipe in recipes)
        {
            Add(recipe);
        }
    }

    /// <summary>The recipes in the order they were added (the first is <c>generate</c>'s default).</summary>
    public IReadOnlyList<IRecipe> All => _recipes;

    public RecipeRegistry Add(IRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentException.ThrowIfNullOrEmpty(recipe.Name);
        if (Find(recipe.Name) is not null)
        {
            throw new ArgumentException($"a recipe named {recipe.Name} is already registered", nameof(recipe));
        }

        _recipes.Add(recipe);
        return this;
    }

    /// <summary>The recipe of that name, or null.</summary>
    public IRecipe? Find(string name) => _recipes.Find(r => string.Equals(r.Name, name, StringComparison.Ordinal));
}
