using VisInstruct.Recipes.Annotated;
using VisInstruct.Recipes.StableLlava;

namespace VisInstruct.Recipes.BuiltIn;

/// <summary>
/// The recipes <c>visinstruct generate</c> offers, StableLLaVA first (the default). The render recipe is not among
/// them: it has a command of its own (<c>visinstruct render</c>), whose input and output folder mean something else.
/// </summary>
public static class BuiltInRecipes
{
    /// <summary>A new registry of the built-in recipes on each read, so that what one caller adds no other sees.</summary>
    public static RecipeRegistry Registry =>
        new([new StableLlavaRecipe(), SvitRecipe.Instance, LlavaInstructRecipe.Instance]);
}
