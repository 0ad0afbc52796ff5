using Spectre.Console;
using VisInstruct.Engine;

namespace VisInstruct.Cli.Progress;

/// <summary>Shows a run's progress on the console: a live Spectre.Console view, periodic lines, or nothing.</summary>
public sealed class ConsoleRunObserver : IRunObserver, IDisposable
{
    private readonly ProgressMode _mode;
    private readonly IAnsiConsole _console;
    private readonly TextWriter _lines;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public ConsoleRunObserver(ProgressMode mode, IAnsiConsole console, TextWriter lines, TimeSpan? interval = null)
    {
        _mode = mode;
        _console = console;
        _lines = lines;
        _interval = interval ?? (mode == ProgressMode.Live ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(30));
    }

    /// <summary>Live when stdout is an interactive terminal, lines otherwise, quiet on request.</summary>
    public static ProgressMode Choose(bool quiet) =>
        quiet ? ProgressMode.Quiet
        : !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive ? ProgressMode.Live
        : ProgressMode.Lines;

    public void Started(RunProgress progress)
    {
        _loop = _mode switch
        {
            ProgressMode.Live => Task.Run(() => LiveAsync(progress)),
            ProgressMode.Lines => Task.Run(() => LinesAsync(progress)),
            _ => null,
        };
    }

    public void Notice(string message)
    {
        lock (_lines)
        {
            _lines.WriteLine(message);
        }
    }

    public void Finished(RunOutcome outcome)
    {
        _stop.Cancel();
        _loop?.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task LiveAsync(RunProgress progress)
    {
        await _console.Live(ProgressView.Render(progress)).AutoClear(false).StartAsync(async context =>
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    context.UpdateTarget(ProgressView.Render(progress));
                    await Task.Delay(_interval, _stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // The run finished: draw the final state once more.
            }

            context.UpdateTarget(ProgressView.Render(progress));
        }).ConfigureAwait(false);
    }

    private async Task LinesAsync(RunProgress progress)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(_interval, _stop.Token).ConfigureAwait(false);
                lock (_lines)
                {
                    _lines.WriteLine(ProgressView.Line(progress));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run finished; the summary follows.
        }
    }
}
