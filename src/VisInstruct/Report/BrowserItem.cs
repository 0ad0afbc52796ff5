namespace VisInstruct.Report;

/// <summary>One entry of the sample browser: a sample (its dialogue and images) or, in a render folder, one image.</summary>
public sealed record BrowserItem(long Index, string Id, string Group, string Kind, string File, IReadOnlyList<string> Images,
    IReadOnlyList<(string From, string Value)> Turns, ProvenanceEntry? OwnProvenance = null);

/// <summary>What the page needs to find the chunks: how many there are and which belong to each group.</summary>
public sealed record BrowserIndex(long Total, int ChunkSize, int Chunks, IReadOnlyList<BrowserGroup> Groups, long Thumbnails,
    long ImagesWithoutFile);

/// <summary>
/// A group's own chunks (<c>data/KEY-000000.js</c>); <see cref="Chunks"/> is 0 when the group has none and is found by
/// scanning.
/// </summary>
public sealed record BrowserGroup(string Name, string Key, long Count, int Chunks);
