namespace VisInstruct.Engine;

/// <summary>Receives what a run says while it runs: progress to show, and lines for the user and the run log.</summary>
public interface IRunObserver
{
    /// <summary>The run starts; <paramref name="progress"/> stays live until it ends.</summary>
    void Started(RunProgress progress);

    /// <summary>A line the user should read, starting with <c>note:</c> or <c>warning:</c> (a stall); also written to the run
    /// log.</summary>
    void Notice(string message);

    /// <summary>The run ended.</summary>
    void Finished(RunOutcome outcome);
}

/// <summary>An observer that ignores everything (tests, <c>--quiet</c>).</summary>
public sealed class SilentObserver : IRunObserver
{
    public static SilentObserver Instance { get; } = new();

    public void Started(RunProgress progress)
    {
    }

    public void Notice(string message)
    {
    }

    public void Finished(RunOutcome outcome)
    {
    }
}
