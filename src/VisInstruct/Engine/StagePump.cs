using System.Threading.Channels;

namespace VisInstruct.Engine;

/// <summary>
/// Moves work items through the pipeline's stages: a bounded channel in front of each stage (backpressure), as many
/// workers per stage as its backend's concurrency limit (stages of one backend share the limit), and every item's end
/// (done, failed, dropped) handed on to the results. An item's failure is recorded and the run goes on; a stop ends the
/// feeding and leaves the rest pending. A worker that itself faults (an error that is not the item's) stops the
/// dispatching; when its stage ends, the stage's downstream channel is completed with that error, which so travels
/// through the later stages to the results and ends the run once what was in flight is recorded. A stage that ends
/// closes its own input, so nothing upstream waits on it.
/// </summary>
internal sealed class StagePump
{
    private const int ChannelCapacity = 1024;

    private readonly IReadOnlyList<StageSpec> _specs;
    private readonly RunProgress _progress;
    private readonly BackendGateway _gateway;
    private readonly RunControl _control;
    private readonly EngineOptions _options;
    private readonly Action<Exception> _diskFull;

    /// <param name="specs">The pipeline's stages, in order.</param>
    /// <param name="progress">The run's counters, one <see cref="StageProgress"/> per stage (its worker count too).</param>
    /// <param name="gateway">The backend gateway the stages call through.</param>
    /// <param name="control">Stops and aborts the run.</param>
    /// <param name="options">The backends' concurrency limits.</param>
    /// <param name="diskFull">Told when a stage could not write because the disk is full (the run must abort).</param>
    public StagePump(IReadOnlyList<StageSpec> specs, RunProgress progress, BackendGateway gateway, RunControl control,
        EngineOptions options, Action<Exception> diskFull)
    {
        _specs = specs;
        _progress = progress;
        _gateway = gateway;
        _control = control;
        _options = options;
        _diskFull = diskFull;
    }

    /// <summary>
    /// Feeds <paramref name="items"/> (at most <paramref name="limit"/> of them) through the stages into
    /// <paramref name="results"/>, and completes it when the stages are done: with the error they ended with, if any.
    /// </summary>
    public async Task RunAsync(IEnumerable<Envelope> items, long limit, ChannelWriter<ItemOutcome> results)
    {
        var limiters = _specs.Where(s => s.Backend is not null).Select(s => s.Backend!).Distinct()
            .ToDictionary(b => b, b => new SemaphoreSlim(_options.ConcurrencyFor(b)), StringComparer.Ordinal);
        try
        {
            var inputs = _specs.Select(_ => Channel.CreateBounded<Envelope>(new BoundedChannelOptions(ChannelCapacity))).ToList();
            var stages = new Task<Exception?>[_specs.Count];
            for (int i = 0; i < _specs.Count; i++)
            {
                var limiter = _specs[i].Backend is { } backend ? limiters[backend] : null;
                stages[i] = RunStageAsync(i, inputs[i], i + 1 < _specs.Count ? inputs[i + 1].Writer : null, results, limiter);
            }

            try
            {
                await FeedAsync(items, limit, inputs[0].Writer).ConfigureAwait(false);
                inputs[0].Writer.TryComplete();
            }
            catch (Exception ex)
            {
                inputs[0].Writer.TryComplete(ex);
            }

            // The last stage's error is the one that came furthest (an earlier stage's error passes through the later ones).
            var errors = await Task.WhenAll(stages).ConfigureAwait(false);
            results.TryComplete(errors.LastOrDefault(e => e is not null));
        }
        finally
        {
            foreach (var limiter in limiters.Values)
            {
                limiter.Dispose();
            }
        }
    }

    private async Task FeedAsync(IEnumerable<Envelope> items, long limit, ChannelWriter<Envelope> writer)
    {
        long fed = 0;
        using (var pending = items.GetEnumerator())
        {
            while (fed < limit && !_control.IsStopping && pending.MoveNext())
            {
                try
                {
                    await writer.WriteAsync(pending.Current, _control.Stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (ChannelClosedException)
                {
                    // The first stage has ended (it failed): what is left stays pending.
                    break;
                }

                fed++;
            }
        }

        if (_control.IsStopping)
        {
            _progress.Total = fed;
        }
    }

    /// <summary>
    /// Runs one stage's workers until its input is done; returns the error the stage ended with (its own, or one from
    /// upstream that passed through it).
    /// </summary>
    private async Task<Exception?> RunStageAsync(int index, Channel<Envelope> input, ChannelWriter<Envelope>? next,
        ChannelWriter<ItemOutcome> results, SemaphoreSlim? limiter)
    {
        var worker = new StageWorker(_specs[index], _progress.Stages[index], next, results, limiter, this);
        var workers = Enumerable.Range(0, worker.Stage.Workers)
            .Select(slot => Task.Run(() => worker.RunAsync(slot, input.Reader)))
            .ToArray();
        Exception? error = null;
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        // What is still queued for this stage will not be taken now: upstream must not wait to hand it more.
        input.Writer.TryComplete();
        next?.TryComplete(error);
        return error;
    }

    /// <summary>The workers of one stage: each takes an item, runs the stage on it, and hands the result on.</summary>
    private sealed class StageWorker(StageSpec spec, StageProgress stage, ChannelWriter<Envelope>? next, ChannelWriter<ItemOutcome> results,
        SemaphoreSlim? limiter, StagePump pump)
    {
        private readonly CancellationToken _abort = pump._control.Aborting;

        public StageProgress Stage => stage;

        public async Task RunAsync(int slot, ChannelReader<Envelope> input)
        {
            try
            {
                // An error upstream ended with comes out of the reading, after the items before it: it passes through.
                await foreach (var envelope in input.ReadAllAsync(_abort).ConfigureAwait(false))
                {
                    try
                    {
                        await HandleAsync(slot, envelope).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not (OperationCanceledException or ChannelClosedException))
                    {
                        // Not the item's failure (those are recorded) but the worker's: no more dispatching; what is in
                        // flight finishes, and the stage ends with this error.
                        pump._control.Stop($"the {spec.Name} stage failed ({ex.GetType().Name})");
                        throw;
                    }
                }
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                // Aborted: what is still in the channels stays pending.
            }
            catch (ChannelClosedException)
            {
                // What this stage hands on to has ended (a later stage failed, or the results cannot be written).
            }
        }

        private async Task HandleAsync(int slot, Envelope envelope)
        {
            if (limiter is not null)
            {
                await limiter.WaitAsync(_abort).ConfigureAwait(false);
            }

            object? output = null;
            ItemOutcome? outcome = null;
            stage.Begin(slot, pump._progress.Time.GetTimestamp());
            bool succeeded = false;
            try
            {
                var context = new SampleContext(envelope.Key, envelope.Seed, spec.Name, pump._gateway, envelope.Attempt);
                output = await spec.Run(envelope.Payload, context, _abort).ConfigureAwait(false);
                succeeded = true;
            }
            catch (RunStoppedException)
            {
                pump._progress.ItemUnfinished();
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                pump._progress.ItemUnfinished();
            }
            catch (Exception ex) when (IO.DiskSpace.IsFull(ex))
            {
                // Not the sample's fault: the item stays pending and the run stops (resumable) instead of failing every sample.
                pump._diskFull(ex);
                pump._progress.ItemUnfinished();
            }
            catch (Exception ex)
            {
                var failure = FailureClassifier.Classify(ex, envelope.Key, spec.Name, spec.Backend, envelope.Attempt);
                outcome = ItemOutcome.Failed(envelope, failure);
            }
            finally
            {
                stage.End(slot, succeeded);
                limiter?.Release();
            }

            if (succeeded)
            {
                pump._progress.Touch();
                if (next is not null)
                {
                    await next.WriteAsync(envelope with { Payload = output! }, _abort).ConfigureAwait(false);
                    return;
                }

                outcome = output is ItemResult result
                    ? ItemOutcome.Done(envelope, result)
                    : ItemOutcome.Failed(envelope, new FailureRecord(envelope.Key, spec.Name, "error",
                        $"the last stage returned {output?.GetType().Name ?? "null"}, not an ItemResult",
                        envelope.Attempt, spec.Backend, null));
            }

            if (outcome is not null)
            {
                await results.WriteAsync(outcome, _abort).ConfigureAwait(false);
            }
        }
    }
}
