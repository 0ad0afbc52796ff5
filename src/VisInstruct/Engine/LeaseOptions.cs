namespace VisInstruct.Engine;

/// <summary>How the run state's lease is held: its timeout, how often it is renewed, and whether to take it over.</summary>
public sealed record LeaseOptions
{
    /// <summary>A lease whose heartbeat is older than this is taken over (60 s by default).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the live run renews its lease (a sixth of the timeout by default: 10 s).</summary>
    public TimeSpan? Heartbeat { get; init; }

    /// <summary>Take the lease over even from a holder that looks alive (<c>--take-over</c>).</summary>
    public bool TakeOver { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    internal TimeSpan Interval => Heartbeat ?? TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond / 10, Timeout.Ticks / 6));
}
