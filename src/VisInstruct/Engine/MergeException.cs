namespace VisInstruct.Engine;

/// <summary>The shard folders cannot be merged (not one run, incomplete, missing shards).</summary>
public sealed class MergeException(string message) : Exception(message);
