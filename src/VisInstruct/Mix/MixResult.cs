namespace VisInstruct.Mix;

/// <summary>What a mix wrote, for the command's summary and the card.</summary>
public sealed class MixResult
{
    public required IReadOnlyList<MixSource> Sources { get; init; }

    public long Single { get; internal set; }

    public long Multi { get; internal set; }

    public long Holdout { get; internal set; }

    public long Refused => Sources.Sum(s => s.Refusals.Total);

    public long Duplicates => Sources.Sum(s => s.Duplicates);

    /// <summary>Ids that met an id already written and were given a <c>~N</c> suffix.</summary>
    public long IdsRenamed { get; internal set; }

    public long ImagesHashed { get; internal set; }

    public long ImagesLinked { get; internal set; }

    public long ImagesCopied { get; internal set; }

    public long ImagesSymlinked { get; internal set; }

    public int SpillRuns { get; internal set; }

    public long SpillBytes { get; internal set; }

    /// <summary>The files written, by name.</summary>
    public IReadOnlyList<string> Files { get; internal set; } = [];
}
