using System.Text.Json.Serialization;

namespace VisInstruct.Formats;

/// <summary>
/// The <c>image</c> of a LLaVA sample: a single path (LLaVA-1.5) or a list of paths (multi-image trainers), kept as
/// written so that a file round-trips unchanged.
/// </summary>
[JsonConverter(typeof(LlavaImageJsonConverter))]
public sealed record LlavaImage
{
    private LlavaImage(IReadOnlyList<string> paths, bool isList)
    {
        Paths = paths;
        IsList = isList;
    }

    public IReadOnlyList<string> Paths { get; }

    /// <summary>True when the file wrote a JSON list (even of one path).</summary>
    public bool IsList { get; }

    public static LlavaImage Single(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new LlavaImage([path], isList: false);
    }

    public static LlavaImage List(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return new LlavaImage([.. paths], isList: true);
    }

    public bool Equals(LlavaImage? other) => other is not null && IsList == other.IsList && Paths.SequenceEqual(other.Paths);

    public override int GetHashCode() => HashCode.Combine(IsList, Paths.Count, Paths.Count > 0 ? Paths[0] : null);
}
