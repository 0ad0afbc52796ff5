using VisInstruct.Datasets;

namespace VisInstruct.Export;

/// <summary>What an export did: samples read and written, those refused by reason, the files written and their size.</summary>
public sealed record ExportReport
{
    public required long Read { get; init; }

    public required long Written { get; init; }

    public required RefusalTally Refused { get; init; }

    /// <summary>The data files (shards included), in order; not the image copies.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    public required int Shards { get; init; }

    /// <summary>The bytes of <see cref="Files"/> together.</summary>
    public required long Bytes { get; init; }

    /// <summary>The bytes of the source's image files that were read or placed.</summary>
    public required long ImageBytes { get; init; }

    public required double Seconds { get; init; }

    /// <summary>The list of refused samples (one JSON object a line).</summary>
    public required string RefusedPath { get; init; }

    /// <summary>Refused samples as a share of those read (0 for an empty source).</summary>
    public double RefusedRatio => Read == 0 ? 0 : (double)Refused.Total / Read;
}
