namespace VisInstruct.Cli.Progress;

/// <summary>How a run shows its progress.</summary>
public enum ProgressMode
{
    /// <summary>A live table, redrawn in place (stdout is a terminal).</summary>
    Live,

    /// <summary>One status line every so often (logs on clusters, pipes).</summary>
    Lines,

    /// <summary>Nothing but warnings.</summary>
    Quiet,
}
