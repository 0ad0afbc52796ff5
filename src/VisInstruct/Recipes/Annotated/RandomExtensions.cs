using VisInstruct.Randomness;


namespace VisInstruct.Recipes.Annotated;

internal static class RandomExtensions
{
    /// <summary>Shuffles the list in place with the generator and returns it.</summary>
    public static List<T> Shuffled<T>(this DeterministicRandom rng, List<T> items)
    {
        rng.Shuffle(items);
        return items;
    }
}
