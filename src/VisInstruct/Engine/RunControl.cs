namespace VisInstruct.Engine;

/// <summary>
/// Stops a run cleanly. <see cref="Stop"/> ends dispatching (budget reached, first Ctrl+C): items in flight finish and
/// are kept, the rest stay pending for the next run. <see cref="Abort"/> also cancels what is in flight (second
/// Ctrl+C): those items stay pending too. Nothing is ever recorded as failed because of a stop.
/// </summary>
public sealed class RunControl : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private string? _reason;

    /// <summary>Cancelled when dispatching must end.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Cancelled when work in flight must end too.</summary>
    public CancellationToken Aborting => _abort.Token;

    /// <summary>Why the run stopped early, or null.</summary>
    public string? StopReason => Volatile.Read(ref _reason);

    public bool IsStopping => _stop.IsCancellationRequested;

    public void Stop(string reason)
    {
        Interlocked.CompareExchange(ref _reason, reason, null);
        _stop.Cancel();
    }

    public void Abort(string reason)
    {
        Stop(reason);
        _abort.Cancel();
    }

    public void ThrowIfStopping()
    {
        if (_stop.IsCancellationRequested)
        {
            throw new RunStoppedException(StopReason ?? "the run is stopping");
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _abort.Dispose();
    }
}
