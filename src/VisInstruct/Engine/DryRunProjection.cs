namespace VisInstruct.Engine;

/// <summary>What a calibration run (<c>--dry-run</c>) projects for the whole run.</summary>
public sealed record DryRunProjection(long CalibrationItems, long RemainingItems, IReadOnlyList<UsageTotals> ProjectedUsage,
    decimal ProjectedCost, TimeSpan ProjectedTime)
{
    /// <summary>
    /// Scales what the calibration items used (<paramref name="usage"/>, in the time <paramref name="progress"/> took)
    /// up to the <paramref name="selected"/> items the run would process; cache hits are not projected.
    /// </summary>
    internal static DryRunProjection Project(RunProgress progress, IReadOnlyList<UsageTotals> usage, long selected, PriceTable prices)
    {
        long calibrated = Math.Max(1, progress.Finished);
        long remaining = Math.Max(0, selected - progress.Finished);
        double scale = (double)remaining / calibrated;
        var projected = usage.Select(u => u with
        {
            Requests = (long)Math.Round(u.Requests * scale),
            CacheHits = 0,
            InputTokens = (long)Math.Round(u.InputTokens * scale),
            OutputTokens = (long)Math.Round(u.OutputTokens * scale),
            Images = (long)Math.Round(u.Images * scale),
            ImageSeconds = u.ImageSeconds * scale,
        }).ToList();
        var time = TimeSpan.FromSeconds(progress.Elapsed.TotalSeconds * scale);
        return new DryRunProjection(progress.Finished, remaining, projected, projected.Sum(prices.Cost), time);
    }
}
