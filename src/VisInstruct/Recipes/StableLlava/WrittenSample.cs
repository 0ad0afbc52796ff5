namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// A sample with its images and its dialogue: what the assemble stage writes out. <paramref name="Checks"/> is what
/// the verify stage found (null where it did not run: images without scenes); <paramref name="Composite"/> is the one
/// image that <c>--multi-image composite</c> drew from the sample's images (null otherwise).
/// </summary>
internal sealed record WrittenSample(RenderedSample Rendered, IReadOnlyList<QaPair> Turns, int TurnsTrimmed, PairChecks? Checks = null,
    CompositeImage? Composite = null);

/// <summary>
/// A composite image: its file (relative to the output folder), SHA-256, size, and the part images in their places
/// (<c>left</c>, <c>top-right</c>), each a file written beside it with its own provenance.
/// </summary>
internal sealed record CompositeImage(string File, string Sha256, int Width, int Height, IReadOnlyList<(string Place, string File)> Parts);

/// <summary>
/// What the verify stage did with a sample's pairs: how many it checked, how many it kept unverified (questions
/// outside the language, from an LLM writer), and how many it dropped, by reason kind (<c>wrong-colour</c>, ...).
/// </summary>
internal sealed record PairChecks(int Checked, int Unverified, IReadOnlyDictionary<string, int> Dropped);
