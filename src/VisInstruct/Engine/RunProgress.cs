namespace VisInstruct.Engine;

/// <summary>
/// Live counters of a run, per stage and overall, that progress views and the watchdog read. Updated lock-free by
/// the workers; read as snapshots.
/// </summary>
public sealed class RunProgress
{
    private readonly TimeProvider _time;
    private long _done;
    private long _failed;
    private long _dropped;
    private long _unfinished;
    private long _lastProgress;

    internal RunProgress(IReadOnlyList<StageProgress> stages, TimeProvider time)
    {
        Stages = stages;
        _time = time;
        StartedAt = time.GetUtcNow();
        _lastProgress = time.GetTimestamp();
    }

    public IReadOnlyList<StageProgress> Stages { get; }

    /// <summary>What the run has used so far (tokens, images, cost), for progress views.</summary>
    public UsageLedger? Ledger { get; internal set; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>Items this invocation will process (after resume filtering and limits).</summary>
    public long Total { get; internal set; }

    /// <summary>Items of the run already finished by earlier invocations.</summary>
    public long AlreadyFinished { get; internal set; }

    public long Done => Interlocked.Read(ref _done);

    public long Failed => Interlocked.Read(ref _failed);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Items left pending because the run stopped while they were in flight.</summary>
    public long Unfinished => Interlocked.Read(ref _unfinished);

    public long Finished => Done + Failed + Dropped;

    public TimeSpan Elapsed => _time.GetUtcNow() - StartedAt;

    /// <summary>How long since any stage finished anything.</summary>
    public TimeSpan SinceProgress => _time.GetElapsedTime(Interlocked.Read(ref _lastProgress));

    /// <summary>Items finished per second since the start.</summary>
    public double Rate => Elapsed.TotalSeconds > 0 ? Finished / Elapsed.TotalSeconds : 0;

    /// <summary>Time left at the average rate so far, or null before anything finished.</summary>
    public TimeSpan? Eta => Rate > 0 && Total >= Finished ? TimeSpan.FromSeconds((Total - Finished) / Rate) : null;

    internal void ItemFinished(ItemStatus status)
    {
        switch (status)
        {
            case ItemStatus.Done:
                Interlocked.Increment(ref _done);
                break;
            case ItemStatus.Failed:
                Interlocked.Increment(ref _failed);
                break;
            default:
                Interlocked.Increment(ref _dropped);
                break;
        }

        Touch();
    }

    internal void ItemUnfinished() => Interlocked.Increment(ref _unfinished);

    internal void Touch() => Interlocked.Exchange(ref _lastProgress, _time.GetTimestamp());

    internal TimeProvider Time => _time;
}

/// <summary>Counters of one stage, and the start time of what each of its workers is doing (for the watchdog).</summary>
public sealed class StageProgress
{
    private readonly long[] _slots;
    private long _completed;
    private long _failed;
    private long _inFlight;

    internal StageProgress(string name, string? backend, int workers)
    {
        Name = name;
        Backend = backend;
        _slots = new long[workers];
    }

    public string Name { get; }

    public string? Backend { get; }

    public int Workers => _slots.Length;

    public long Completed => Interlocked.Read(ref _completed);

    public long Failed => Interlocked.Read(ref _failed);

    public long InFlight => Interlocked.Read(ref _inFlight);

    internal void Begin(int slot, long timestamp)
    {
        Volatile.Write(ref _slots[slot], timestamp);
        Interlocked.Increment(ref _inFlight);
    }

    internal void End(int slot, bool succeeded)
    {
        Volatile.Write(ref _slots[slot], 0);
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref succeeded ? ref _completed : ref _failed);
    }

    /// <summary>How long the oldest item in flight has been in this stage, or null when none is.</summary>
    public TimeSpan? OldestInFlight(TimeProvider time)
    {
        long oldest = long.MaxValue;
        foreach (ref long slot in _slots.AsSpan())
        {
            long started = Volatile.Read(ref slot);
            if (started != 0 && started < oldest)
            {
                oldest = started;
            }
        }

        return oldest == long.MaxValue ? null : time.GetElapsedTime(oldest);
    }
}
