namespace VisInstruct.Engine;

/// <summary>
/// One unit of work of a run. <see cref="Key"/> identifies it across runs and orders the outputs (keys are compared
/// ordinally, so numbers in them are zero-padded); <see cref="ShardKey"/> decides which shard owns it (the key itself
/// unless a recipe groups items, for example all samples of one image).
/// </summary>
public sealed record WorkItem(string Key, object Input, string? ShardKey = null)
{
    /// <summary>The key that decides the shard.</summary>
    public string ShardOn => ShardKey ?? Key;
}

/// <summary>What became of a work item.</summary>
public enum ItemStatus
{
    /// <summary>Not in the run state: never finished (new, or interrupted).</summary>
    Pending = 0,

    /// <summary>Finished; its outputs are in the run state.</summary>
    Done = 1,

    /// <summary>A stage failed; recorded with its cause, retried by <c>--retry-failed</c>.</summary>
    Failed = 2,

    /// <summary>Deliberately left out by a stage (a quality check, a duplicate), with the reason recorded.</summary>
    Dropped = 3,
}
