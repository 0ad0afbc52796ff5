namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// A sample with its images and its dialogue: what the assemble stage writes out. <paramref name="Composite"/> is the one
/// image that <c>--multi-image composite</c> drew from the sample's images (null otherwise).
/// </summary>
internal sealed record WrittenSample(RenderedSample Rendered, IReadOnlyList<QaPair> Turns, int TurnsTrimmed,
    CompositeImage? Composite = null);

/// <summary>
/// A composite image: its file (relative to the output folder), SHA-256, size, and the part images in their places
/// (<c>left</c>, <c>top-right</c>), each a file written beside it with its own provenance.
/// </summary>
internal sealed record CompositeImage(string File, string Sha256, int Width, int Height, IReadOnlyList<(string Place, string File)> Parts);
