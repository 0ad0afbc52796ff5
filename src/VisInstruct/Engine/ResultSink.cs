using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using VisInstruct.Backends.Llm;

namespace VisInstruct.Engine;

/// <summary>
/// Where the stages' results go: every item's end is recorded in the run state, in batches (when enough have gathered,
/// and at least every flush interval, so a kill loses little and the writer never waits on a slow trickle); at the end
/// the dataset files are written from the run state. If the run state cannot be written, the run aborts with that error
/// instead of going on without recording. If the stages ended with an error, what came before it is recorded, and then
/// the run ends with that error.
/// </summary>
internal sealed class ResultSink(RunState state, RunProgress progress, EngineOptions options, RunControl control)
{
    /// <summary>Results in the channel before the stages wait for the writer (a few batches of the stages' channels).</summary>
    private const int Capacity = 4096;

    private readonly Channel<ItemOutcome> _results =
        Channel.CreateBounded<ItemOutcome>(new BoundedChannelOptions(Capacity) { SingleReader = true });
    private volatile bool _failed;

    /// <summary>Where the stages hand their results; completed by them, with their error if they ended with one.</summary>
    public ChannelWriter<ItemOutcome> Writer => _results.Writer;

    /// <summary>Records the results until the stages are done; throws the error they ended with, or the run state's.</summary>
    public async Task RunAsync()
    {
        using var timerStop = new CancellationTokenSource();
        var timer = Task.Run(() => FlushPeriodicallyAsync(timerStop.Token));
        try
        {
            var upstream = await RecordAllAsync().ConfigureAwait(false);
            Flush();
            upstream?.Throw();
        }
        finally
        {
            await timerStop.CancelAsync().ConfigureAwait(false);
            await timer.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the dataset files from the run state, with whether the run is complete and how the LLM endpoints were
    /// asked for structured answers noted in it first (the manifest reads them).
    /// </summary>
    public IReadOnlyList<string> WriteDataset(GenerationPlan plan, RunOutcome outcome)
    {
        state.Meta.Set("complete", outcome.Complete ? "true" : "false");
        if (plan.OutputModes is { } modes)
        {
            var before = EndpointOutputMode.Decode(state.Meta.Get(DatasetWriter.OutputModesMeta));
            state.Meta.Set(DatasetWriter.OutputModesMeta, EndpointOutputMode.Encode(EndpointOutputMode.Combine(before, modes())));
        }

        return DatasetWriter.Materialize([state], options.OutputDirectory, plan, outcome, options);
    }

    /// <summary>
    /// Records every result; returns the error the stages ended with (null: none), after the results before it. An
    /// error of the run state's is thrown.
    /// </summary>
    private async Task<ExceptionDispatchInfo?> RecordAllAsync()
    {
        try
        {
            await foreach (var outcome in _results.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                state.Items.Record(outcome.Key, outcome.Status, outcome.Attempts, outcome.Result, outcome.Failure);
                progress.ItemFinished(outcome.Status);
                if (state.PendingCount >= options.FlushEvery)
                {
                    Flush();
                }
            }

            return null;
        }
        catch (Exception ex) when (!_failed && _results.Reader.Completion.IsCompleted)
        {
            // The channel is done: this is what the stages ended with.
            return ExceptionDispatchInfo.Capture(ex);
        }
        catch (Exception ex) when (!_failed)
        {
            Fail(ex);
            throw;
        }
    }

    private async Task FlushPeriodicallyAsync(CancellationToken cancellationToken)
    {
        using var periodic = new PeriodicTimer(options.FlushInterval, options.Time);
        try
        {
            while (await periodic.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                state.Flush();
            }
        }
        catch (OperationCanceledException)
        {
            // The sink finished.
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void Flush()
    {
        try
        {
            state.Flush();
        }
        catch (Exception ex)
        {
            Fail(ex);
            throw;
        }
    }

    /// <summary>The run state cannot be written: the run aborts, and the stages stop handing results over.</summary>
    private void Fail(Exception ex)
    {
        _failed = true;
        control.Abort("the run state could not be written: " + ex.Message);
        _results.Writer.TryComplete(ex);
    }
}
