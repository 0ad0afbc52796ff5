using VisInstruct.Json;

namespace VisInstruct.Mix;

/// <summary>
/// Where a mix's images go: paths rebased onto one root, or the files copied (hard-linked) or symlinked under the
/// output.
/// </summary>
public enum ImageMode
{
    /// <summary>Files placed under <c>OUT/images/SOURCE/</c>, hard-linked where the filesystem allows, else copied.</summary>
    Copy,

    /// <summary>Symbolic links under <c>OUT/images/SOURCE/</c> to the original files.</summary>
    Link,

    /// <summary>No file moves: paths rewritten relative to one image root that holds every source's images.</summary>
    Rebase,
}

/// <summary>At most so many (or such a share) of one group's usable samples, in one source or (null source) in each.</summary>
public sealed record GroupCap(string? Source, string Group, TakeSpec Take)
{
    /// <summary>
    /// Reads <c>[SOURCE/]GROUP=N</c> or <c>[SOURCE/]GROUP=RATIO</c> (a ratio of at most 1). Throws
    /// <see cref="ArgumentException"/>.
    /// </summary>
    public static GroupCap Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int equals = text.LastIndexOf('=');
        if (equals <= 0)
        {
            throw new ArgumentException($"--cap {text}: expected GROUP=N or SOURCE/GROUP=N (N a count, or a ratio such as 0.5)");
        }

        var take = TakeSpec.TryParse(text[(equals + 1)..], out string? error);
        if (take is null || take.Ratio > 1)
        {
            throw new ArgumentException($"--cap {text}: {error ?? "the cap must be a count (5000) or a ratio of at most 1 (0.5)"}");
        }

        string key = text[..equals];
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new GroupCap(null, key, take) : new GroupCap(key[..slash], key[(slash + 1)..], take);
    }
}

/// <summary>Everything a mix needs to know; the same options give the same bytes.</summary>
public sealed record MixOptions
{
    public required IReadOnlyList<MixInput> Inputs { get; init; }

    /// <summary>The output folder.</summary>
    public required string Output { get; init; }

    public ulong Seed { get; init; }

    /// <summary>The share of the distinct samples taken that goes to <c>holdout.json</c> instead of training.</summary>
    public double Holdout { get; init; }

    public IReadOnlyList<GroupCap> Caps { get; init; } = [];

    public ImageMode Images { get; init; } = ImageMode.Copy;

    /// <summary>The root every image path is rebased onto (<see cref="ImageMode.Rebase"/> only).</summary>
    public string? ImageRoot { get; init; }

    public JsonStyle Style { get; init; } = JsonStyle.Compact;

    /// <summary>The command line, for the card.</summary>
    public string Command { get; init; } = "";

    /// <summary>Told a line at the start of each pass over a source and of the writing (null: nothing is told).</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>Bytes of records one sorted spill run holds before it is written (bounds the memory of the shuffle).</summary>
    public long RunBytes { get; init; } = 64L << 20;
}
