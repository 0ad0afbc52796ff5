namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// A sample with its images and its dialogue: what the assemble stage writes out; <paramref name="Checks"/> is what
/// the verify stage found (null where it did not run: images without scenes).
/// </summary>
internal sealed record WrittenSample(RenderedSample Rendered, IReadOnlyList<QaPair> Turns, int TurnsTrimmed, PairChecks? Checks = null);

/// <summary>
/// What the verify stage did with a sample's pairs: how many it checked, how many it kept unverified (questions
/// outside the language, from an LLM writer), and how many it dropped, by reason kind (<c>wrong-colour</c>, ...).
/// </summary>
internal sealed record PairChecks(int Checked, int Unverified, IReadOnlyDictionary<string, int> Dropped);
