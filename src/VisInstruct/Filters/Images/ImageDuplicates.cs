namespace VisInstruct.Filters.Images;

/// <summary>What an image file matched: the earlier (or reference) file it is a near copy of, and how far apart they are.</summary>
public sealed record ImageMatch(string File, string Of, int Distance);

/// <summary>
/// Clusters distinct image files by perceptual hash, greedily in the order they are added (the dataset's key order):
/// a file within <see cref="Distance"/> bits of an earlier cluster's first file joins that cluster, otherwise it
/// starts one. Only first files are indexed, so each cluster keeps its first file and every other member names it.
/// Reference files (<c>--against</c>: a benchmark, another split) are a second index that files are looked up in.
/// </summary>
public sealed class ImageDuplicates(int distance)
{
    private readonly NearDuplicateIndex<string> _leaders = new(distance);
    private readonly NearDuplicateIndex<string> _references = new(distance);

    public int Distance { get; } = distance;

    /// <summary>Distinct clusters so far (files that were not near copies of an earlier one).</summary>
    public int Clusters => _leaders.Count;

    public int References => _references.Count;

    /// <summary>Adds a reference image, one that the dataset's images are checked against.</summary>
    public void AddReference(string file, ulong hash) => _references.Add(hash, file);

    /// <summary>The reference image <paramref name="hash"/> is a near copy of, or null.</summary>
    public ImageMatch? FindReference(string file, ulong hash) =>
        _references.TryFindNearest(hash, out string of, out int d) ? new ImageMatch(file, of, d) : null;

    /// <summary>
    /// Adds the next file of the dataset: null when it starts a cluster, else the cluster's first file it is a near
    /// copy of.
    /// </summary>
    public ImageMatch? Add(string file, ulong hash)
    {
        if (_leaders.TryFindNearest(hash, out string of, out int d))
        {
            return new ImageMatch(file, of, d);
        }

        _leaders.Add(hash, file);
        return null;
    }
}
