namespace VisInstruct.Conversion;

/// <summary>Counts of what happened to the boxes of a run.</summary>
public sealed class BoxTally
{
    /// <summary>Boxes matched by the pattern.</summary>
    public long Found { get; set; }

    /// <summary>Boxes re-normalised.</summary>
    public long Converted { get; set; }

    /// <summary>Boxes the pattern matched but whose numbers do not parse (left as they were).</summary>
    public long Unparsable { get; set; }

    /// <summary>Boxes left as they were because their image's size is unknown.</summary>
    public long LeftWithoutImage { get; set; }
}
