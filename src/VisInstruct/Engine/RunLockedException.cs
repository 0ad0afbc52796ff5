namespace VisInstruct.Engine;

/// <summary>Another process holds the run.</summary>
public sealed class RunLockedException(string path, string detail)
    : Exception($"another visinstruct process is using this run ({path}: {detail}). "
        + "One run state has one writer: wait for that process, or give this one another --out")
{
    public string StatePath { get; } = path;
}
