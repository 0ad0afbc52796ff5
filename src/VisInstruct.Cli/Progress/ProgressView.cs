using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using VisInstruct.Engine;
using Cell = Spectre.Console.Text;

namespace VisInstruct.Cli.Progress;

/// <summary>A view of a run's progress: a table for terminals, one line for logs. Pure functions of the progress.</summary>
public static class ProgressView
{
    /// <summary>Per stage: done of total, failed, in flight; then items, rate, ETA, tokens, images and cost.</summary>
    public static IRenderable Render(RunProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumn("stage");
        table.AddColumn("backend");
        table.AddColumn(new TableColumn("done").RightAligned());
        table.AddColumn(new TableColumn("failed").RightAligned());
        table.AddColumn(new TableColumn("in flight").RightAligned());
        table.AddColumn("");
        foreach (var stage in progress.Stages)
        {
            double share = progress.Total == 0 ? 1 : Math.Min(1, (double)stage.Completed / progress.Total);
            table.AddRow(
                new Cell(stage.Name),
                new Cell(stage.Backend ?? "-"),
                new Cell(Invariant($"{stage.Completed}/{progress.Total}")),
                new Cell(Invariant($"{stage.Failed}"), stage.Failed > 0 ? new Style(Color.Red) : Style.Plain),
                new Cell(Invariant($"{stage.InFlight}")),
                new BreakdownChart().Width(20).HideTags().AddItem("done", share, Color.Green).AddItem("left", 1 - share, Color.Grey));
        }

        return new Rows(table, new Cell(Summary(progress)));
    }

    /// <summary>One line: <c>[00:01:23] write 120/1000 render 98/1000 | done 98, failed 2 | 3.2/s, ETA 00:04:12 | ...</c>.</summary>
    public static string Line(RunProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        string stages = string.Join(' ', progress.Stages.Select(s => Invariant($"{s.Name} {s.Completed}/{progress.Total}")));
        return Invariant($"[{Clock(progress.Elapsed)}] {stages} | {Summary(progress)}");
    }

    private static string Summary(RunProgress progress)
    {
        string eta = progress.Eta is { } left ? Clock(left) : "--:--:--";
        string text = Invariant($"done {progress.Done}, failed {progress.Failed}, dropped {progress.Dropped} of {progress.Total} | ")
            + Invariant($"{progress.Rate:F1} items/s, ETA {eta}");
        if (progress.AlreadyFinished > 0)
        {
            text += Invariant($" | {progress.AlreadyFinished} finished before");
        }

        if (progress.Ledger is { } ledger)
        {
            var usage = ledger.ThisRun();
            long input = usage.Sum(u => u.InputTokens);
            long output = usage.Sum(u => u.OutputTokens);
            long images = usage.Sum(u => u.Images);
            long hits = usage.Sum(u => u.CacheHits);
            text += Invariant($" | tokens {Short(input)} in, {Short(output)} out | images {images} | cache hits {hits} | ")
                + Invariant($"${ledger.TotalCost():F2}");
        }

        return text;
    }

    private static string Clock(TimeSpan span) => span.TotalHours >= 100
        ? Invariant($"{(int)span.TotalHours}h")
        : Invariant($"{(int)span.TotalHours:D2}:{span.Minutes:D2}:{span.Seconds:D2}");

    private static string Short(long value) => value switch
    {
        >= 10_000_000 => Invariant($"{value / 1e6:F0}M"),
        >= 1_000_000 => Invariant($"{value / 1e6:F1}M"),
        >= 10_000 => Invariant($"{value / 1e3:F0}k"),
        _ => Invariant($"{value}"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
