using System.Globalization;

namespace VisInstruct.Engine;

/// <summary>
/// Says when a run has made no progress for a while, and on what it waits: the stages with items in flight, their
/// backends, and how long the oldest has been waiting. Says it once per stall, and again if the stall lasts twice as
/// long.
/// </summary>
internal sealed class Watchdog(RunProgress progress, TimeSpan stallThreshold, Action<string> notice)
{
    private readonly TimeSpan _threshold = stallThreshold;
    private TimeSpan _nextWarning = stallThreshold;

    /// <summary>Checks once; returns the warning if one is due.</summary>
    public string? Check()
    {
        var quiet = progress.SinceProgress;
        if (quiet < _threshold)
        {
            _nextWarning = _threshold;
            return null;
        }

        if (quiet < _nextWarning)
        {
            return null;
        }

        _nextWarning = quiet * 2;
        var waiting = progress.Stages
            .Select(s => (Stage: s, Oldest: s.OldestInFlight(progress.Time)))
            .Where(s => s.Oldest is not null)
            .Select(s => string.Create(CultureInfo.InvariantCulture,
                $"stage '{s.Stage.Name}'{(s.Stage.Backend is null ? "" : $" (backend {s.Stage.Backend})")}: {s.Stage.InFlight} in "
                    + $"flight, the oldest for {Seconds(s.Oldest!.Value)}"))
            .ToList();
        string message = string.Create(CultureInfo.InvariantCulture, $"no progress for {Seconds(quiet)}; ")
            + (waiting.Count == 0 ? "nothing is in flight (the work source may be slow)" : "waiting on " + string.Join("; ", waiting));
        notice(message);
        return message;
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds < 10
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:F1} s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:F0} s");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_threshold.TotalMilliseconds / 4, 50, 5000));
        using var timer = new PeriodicTimer(period, progress.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Check();
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }
}
