using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Channels;
using VisInstruct.Randomness;

namespace VisInstruct.Engine;

/// <summary>
/// Runs a <see cref="GenerationPlan"/>: work items flow from the recipe through the pipeline's stages over bounded
/// channels (backpressure), each stage with as many workers as its backend's concurrency limit (stages of the same
/// backend share the limit), into one writer that records every outcome in the run state. Items already finished are
/// skipped (resume); a failure is recorded for its item and the run goes on; a stop keeps what finished and leaves
/// the rest pending. Then the dataset is materialised from the run state in key order, so the same plan gives the
/// same bytes whatever the concurrency, interruptions or sharding.
/// </summary>
public sealed class GenerationEngine
{
    private const int ChannelCapacity = 1024;

    /// <summary>Backends that run in this process and cost nothing (never reported as unpriced).</summary>
    public static readonly IReadOnlySet<string> LocalBackends = new HashSet<string>(StringComparer.Ordinal) { "procedural", "template" };

    private readonly GenerationPlan _plan;
    private readonly EngineOptions _options;
    private readonly IRunObserver _observer;
    private readonly RunControl _control;

    public GenerationEngine(GenerationPlan plan, EngineOptions options, IRunObserver? observer = null, RunControl? control = null)
    {
        _plan = plan;
        _options = options;
        _observer = observer ?? SilentObserver.Instance;
        _control = control ?? new RunControl();
    }

    /// <summary>The folder inside the output folder that holds the run state.</summary>
    public static string StateDirectory(string outputDirectory) => Path.Combine(outputDirectory, ".visinstruct");

    public static string StatePath(string outputDirectory) => Path.Combine(StateDirectory(outputDirectory), RunState.FileName);

    /// <summary>Where a run stages files before moving them into place; cleared when a run starts (it holds the lock).</summary>
    public static string TempDirectory(string outputDirectory) => Path.Combine(StateDirectory(outputDirectory), "tmp");

    public async Task<RunOutcome> RunAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var outcome = await RunCoreAsync(cancellationToken).ConfigureAwait(false);
            return _diskFull is null ? outcome : throw _diskFull;
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex) when (ex.SqliteErrorCode is 26 or 11)
        {
            // SQLITE_NOTADB, SQLITE_CORRUPT: a damaged file in the output folder is bad input, not a crash.
            string path = StatePath(_options.OutputDirectory);
            throw new Json.InputFormatException(path,
                $"the run state cannot be read ({(ex.SqliteErrorCode == 26 ? "it is not an SQLite database" : "the database is damaged")}): was it cut short by a copy, or written by something else? Move {GenerationEngine.StateDirectory(_options.OutputDirectory)} aside to start this folder afresh (the dataset files in it are kept until the new run replaces them)",
                innerException: ex);
        }
        catch (Exception ex) when (IO.DiskSpace.IsFull(ex))
        {
            // The run state commits in transactions and outputs are staged, so what finished is kept: resumable.
            bool state = ex is Microsoft.Data.Sqlite.SqliteException || ex.InnerException is Microsoft.Data.Sqlite.SqliteException;
            throw IO.DiskSpace.Explain(_diskFull ?? ex, _options.OutputDirectory, state ? StatePath(_options.OutputDirectory) : null);
        }
    }

    private Exception? _diskFull;

    private async Task<RunOutcome> RunCoreAsync(CancellationToken cancellationToken)
    {
        using var cancelRegistration = cancellationToken.Register(() => _control.Stop("interrupted"));
        Directory.CreateDirectory(_options.OutputDirectory);
        using var log = new RunLog(Path.Combine(_options.OutputDirectory, "run.log"), _options.Time);
        using var state = RunState.OpenForWriting(StatePath(_options.OutputDirectory), _options.Lease);
        if (state.LeaseTakenOver is { } takenOver)
        {
            Say(log, "note: " + takenOver);
        }

        string? leaseLost = null;
        state.LeaseLost += reason =>
        {
            Volatile.Write(ref leaseLost, reason);
            Say(log, "error: this run lost its lease on the run state (" + reason + "); it stops without writing the dataset files");
            _control.Abort("lost the lease");
        };
        var started = _options.Time.GetTimestamp();
        ClearTemp();
        PrepareState(state, log);
        foreach (var lost in state.LostOnOpen)
        {
            Say(log, string.Create(CultureInfo.InvariantCulture,
                $"note: {lost.Lost} request(s) to {lost.Backend} ({lost.Model}) had been sent by a process that stopped before their answers were recorded; they are counted as sent{(lost.EstimatedTokens > 0 ? $", with {lost.EstimatedTokens} estimated tokens" : "")}"));
        }

        var ledger = new UsageLedger(_options.Prices, state.ReadUsage(), _options.MaxRequests, _options.MaxCost);
        var gateway = new BackendGateway(state, ledger, _control);
        var stages = _plan.Pipeline.Stages.Select(s => new StageProgress(s.Name, s.Backend, _options.ConcurrencyFor(s.Backend))).ToList();
        var progress = new RunProgress(stages, _options.Time) { Ledger = ledger };

        long owned = 0;
        long alreadyFinished = 0;
        long toProcess = 0;
        foreach (var (_, status, _) in OwnedItems(state))
        {
            owned++;
            if (status != ItemStatus.Pending)
            {
                alreadyFinished++;
            }

            if (Selected(status))
            {
                toProcess++;
            }
        }

        long limit = Math.Min(toProcess, _options.DryRunItems ?? _options.ItemLimit ?? long.MaxValue);
        progress.Total = limit;
        progress.AlreadyFinished = alreadyFinished;
        foreach (string notice in _plan.Notices)
        {
            Say(log, "note: " + notice);
        }

        log.Write(string.Create(CultureInfo.InvariantCulture,
            $"start: recipe {_plan.Recipe}, seed {_options.Seed}, shard {_options.Shard}, {owned} items, {alreadyFinished} finished before, {limit} to process{(_options.RetryFailed ? " (retrying failed items)" : "")}"));
        _observer.Started(progress);

        await ProcessAsync(state, gateway, progress, limit, log).ConfigureAwait(false);
        if (Volatile.Read(ref leaseLost) is { } lostBecause)
        {
            // Another run holds the folder now: its dataset files are its to write.
            throw new RunLockedException(StatePath(_options.OutputDirectory), "this run lost its lease while it ran: " + lostBecause);
        }

        var finalUsage = ledger.ThisRun();
        state.Flush();

        var counts = state.CountByStatus();
        var outcome = new RunOutcome
        {
            OutputDirectory = _options.OutputDirectory,
            Recipe = _plan.Recipe,
            Shard = _options.Shard,
            Items = owned,
            Done = counts.GetValueOrDefault(ItemStatus.Done),
            Failed = counts.GetValueOrDefault(ItemStatus.Failed),
            Dropped = counts.GetValueOrDefault(ItemStatus.Dropped),
            ProcessedNow = progress.Finished,
            StopReason = _control.StopReason,
            Failures = FailureCounts(state),
            Usage = ledger.Totals(),
            UsageThisRun = finalUsage,
            Cost = ledger.TotalCost(),
            Budget = ledger.MaxCost is null && ledger.MaxRequests is null ? null
                : new BudgetState(ledger.MaxCost, ledger.MaxRequests, ledger.TotalCost(), ledger.Totals().Sum(t => t.Requests), ledger.OpenReservations, ledger.ReservedCost),
            UnpricedModels = ledger.Totals().Where(t => t.Requests > 0 && !LocalBackends.Contains(t.Backend) && !_options.Prices.Knows(t.Model)).Select(t => t.Model).Distinct().ToList(),
            Elapsed = _options.Time.GetElapsedTime(started),
            MaxFailureRatio = _options.MaxFailureRatio,
        };

        if (_options.DryRunItems is not null)
        {
            outcome = outcome with { Projection = Project(progress, finalUsage, toProcess) };
        }
        else
        {
            state.SetMeta("complete", outcome.Complete ? "true" : "false");
            if (_plan.OutputModes is { } modes)
            {
                state.SetMeta(DatasetWriter.OutputModesMeta, Backends.Llm.EndpointOutputMode.Encode(
                    Backends.Llm.EndpointOutputMode.Combine(Backends.Llm.EndpointOutputMode.Decode(state.GetMeta(DatasetWriter.OutputModesMeta)), modes())));
            }

            var files = DatasetWriter.Materialize([state], _options.OutputDirectory, _plan, outcome, _options);
            outcome = outcome with { DatasetFiles = files };
        }

        log.Write(Describe(outcome));
        _observer.Finished(outcome);
        return outcome;
    }

    /// <summary>Checks the run state against this plan; starts it afresh, resumes it, or refuses a changed configuration.</summary>
    private void PrepareState(RunState state, RunLog log)
    {
        string shard = string.Create(CultureInfo.InvariantCulture, $"{_options.Shard.Index}/{_options.Shard.Count}");
        string? recipe = state.GetMeta("recipe");
        if (recipe is not null)
        {
            var changes = new List<string>();
            if (recipe != _plan.Recipe)
            {
                changes.Add($"recipe: {recipe} -> {_plan.Recipe}");
            }

            if (state.GetMeta("shard") is { } oldShard && oldShard != shard)
            {
                changes.Add($"shard: {oldShard} -> {shard}");
            }

            changes.AddRange(FingerprintDiff.Compare(state.GetMeta("fingerprint") ?? "{}", _plan.Fingerprint));
            if (changes.Count > 0 && !_options.ForceNew)
            {
                throw new ConfigChangedException(_options.OutputDirectory, changes);
            }

        }

        if (recipe is not null && _options.ForceNew)
        {
            var changes = FingerprintDiff.Compare(state.GetMeta("fingerprint") ?? "{}", _plan.Fingerprint);
            log.Write("--force-new: the finished items are discarded (cached responses are kept)" + (changes.Count > 0 ? ": " + string.Join("; ", changes) : ""));
            state.ResetItems();
        }

        state.SetMeta("recipe", _plan.Recipe);
        state.SetMeta("fingerprint", _plan.Fingerprint);
        state.SetMeta("shard", shard);
        state.SetMeta("seed", _options.Seed.ToString(CultureInfo.InvariantCulture));
        state.SetMeta("config", _plan.ResolvedConfig);
        state.SetMeta("tool_version", ToolInfo.Version);
        if (_plan.ReproduceCommand is not null)
        {
            state.SetMeta("reproduce", _plan.ReproduceCommand);
        }
    }

    /// <summary>Removes what a killed run left half-written (this run holds the lock, so nobody else is writing there).</summary>
    private void ClearTemp()
    {
        string temp = TempDirectory(_options.OutputDirectory);
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }

        Directory.CreateDirectory(temp);
    }

    private bool Selected(ItemStatus status) => _options.RetryFailed ? status == ItemStatus.Failed : status == ItemStatus.Pending;

    /// <summary>This shard's items, in key order, with their status in the run state (looked up a range at a time).</summary>
    private IEnumerable<(WorkItem Item, ItemStatus Status, int Attempts)> OwnedItems(RunState state)
    {
        const int Batch = 2048;
        var batch = new List<WorkItem>(Batch);
        string? previous = null;
        foreach (var item in _plan.Items())
        {
            if (previous is not null && string.CompareOrdinal(previous, item.Key) >= 0)
            {
                throw new InvalidOperationException($"the recipe listed work item '{item.Key}' after '{previous}': keys must be unique and ascending (ordinal)");
            }

            previous = item.Key;
            if (!_options.Shard.Owns(item.ShardOn))
            {
                continue;
            }

            batch.Add(item);
            if (batch.Count == Batch)
            {
                foreach (var entry in WithStatus(state, batch))
                {
                    yield return entry;
                }

                batch.Clear();
            }
        }

        foreach (var entry in WithStatus(state, batch))
        {
            yield return entry;
        }
    }

    private static List<(WorkItem, ItemStatus, int)> WithStatus(RunState state, List<WorkItem> batch)
    {
        if (batch.Count == 0)
        {
            return [];
        }

        var statuses = state.StatusesBetween(batch[0].Key, batch[^1].Key);
        return batch.Select(item => statuses.TryGetValue(item.Key, out var s) ? (item, s.Status, s.Attempts) : (item, ItemStatus.Pending, 0)).ToList();
    }

    private async Task ProcessAsync(RunState state, BackendGateway gateway, RunProgress progress, long limit, RunLog log)
    {
        var specs = _plan.Pipeline.Stages;
        var limiters = specs.Where(s => s.Backend is not null).Select(s => s.Backend!).Distinct()
            .ToDictionary(b => b, b => new SemaphoreSlim(_options.ConcurrencyFor(b)), StringComparer.Ordinal);
        var inputs = specs.Select(_ => Channel.CreateBounded<Envelope>(new BoundedChannelOptions(ChannelCapacity) { SingleWriter = false, SingleReader = false })).ToList();
        var results = Channel.CreateBounded<Outcome>(new BoundedChannelOptions(ChannelCapacity * 4) { SingleReader = true });
        var abort = _control.Aborting;

        using var watchdogStop = new CancellationTokenSource();
        var watchdog = new Watchdog(progress, _options.StallWarning, message => Say(log, "warning: " + message)).RunAsync(watchdogStop.Token);
        var sink = Task.Run(() => SinkAsync(state, progress, results));
        var stageTasks = new List<Task>();
        for (int i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var stage = progress.Stages[i];
            var input = inputs[i].Reader;
            var next = i + 1 < specs.Count ? inputs[i + 1].Writer : null;
            var limiter = spec.Backend is null ? null : limiters[spec.Backend];
            var workers = Enumerable.Range(0, stage.Workers)
                .Select(slot => Task.Run(() => WorkerAsync(spec, stage, slot, input, next, results.Writer, limiter, gateway, progress, abort)))
                .ToArray();
            stageTasks.Add(Task.WhenAll(workers).ContinueWith(_ => next?.TryComplete(), TaskScheduler.Default));
        }

        try
        {
            await FeedAsync(state, inputs[0].Writer, progress, limit).ConfigureAwait(false);
        }
        finally
        {
            inputs[0].Writer.TryComplete();
            await Task.WhenAll(stageTasks).ConfigureAwait(false);
            results.Writer.TryComplete();
            await sink.ConfigureAwait(false);
            await watchdogStop.CancelAsync().ConfigureAwait(false);
            await watchdog.ConfigureAwait(false);
            foreach (var limiter in limiters.Values)
            {
                limiter.Dispose();
            }
        }
    }

    private async Task FeedAsync(RunState state, ChannelWriter<Envelope> writer, RunProgress progress, long limit)
    {
        long fed = 0;
        foreach (var (item, status, attempts) in OwnedItems(state))
        {
            if (fed >= limit || _control.IsStopping)
            {
                break;
            }

            if (!Selected(status))
            {
                continue;
            }

            var envelope = new Envelope(item.Key, DeterministicRandom.DeriveSeed(_options.Seed, item.Key), attempts + 1, item.Input);
            try
            {
                await writer.WriteAsync(envelope, _control.Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            fed++;
        }

        if (_control.IsStopping)
        {
            progress.Total = fed;
        }
    }

    private async Task WorkerAsync(StageSpec spec, StageProgress stage, int slot, ChannelReader<Envelope> input, ChannelWriter<Envelope>? next,
        ChannelWriter<Outcome> results, SemaphoreSlim? limiter, BackendGateway gateway, RunProgress progress, CancellationToken abort)
    {
        try
        {
            await foreach (var envelope in input.ReadAllAsync(abort).ConfigureAwait(false))
            {
                object? output = null;
                Outcome? outcome = null;
                if (limiter is not null)
                {
                    await limiter.WaitAsync(abort).ConfigureAwait(false);
                }

                stage.Begin(slot, progress.Time.GetTimestamp());
                bool succeeded = false;
                try
                {
                    var context = new SampleContext(envelope.Key, envelope.Seed, spec.Name, gateway, envelope.Attempt);
                    output = await spec.Run(envelope.Payload, context, abort).ConfigureAwait(false);
                    succeeded = true;
                }
                catch (RunStoppedException)
                {
                    progress.ItemUnfinished();
                }
                catch (OperationCanceledException) when (abort.IsCancellationRequested)
                {
                    progress.ItemUnfinished();
                }
                catch (SampleDroppedException dropped)
                {
                    outcome = new Outcome(envelope.Key, ItemStatus.Dropped, envelope.Attempt, null,
                        new FailureRecord(envelope.Key, spec.Name, dropped.Kind, dropped.Message, envelope.Attempt, spec.Backend, dropped.Detail) { Dropped = true });
                }
                catch (Exception ex) when (IO.DiskSpace.IsFull(ex))
                {
                    // Not the sample's fault: the item stays pending and the run stops (resumable) instead of failing every sample.
                    Interlocked.CompareExchange(ref _diskFull, IO.DiskSpace.Explain(ex, _options.OutputDirectory), null);
                    _control.Abort("the disk is full");
                    progress.ItemUnfinished();
                }
                catch (Exception ex)
                {
                    outcome = new Outcome(envelope.Key, ItemStatus.Failed, envelope.Attempt, null, Classify(envelope, spec, ex));
                }
                finally
                {
                    stage.End(slot, succeeded);
                    limiter?.Release();
                }

                if (succeeded)
                {
                    progress.Touch();
                    if (next is not null)
                    {
                        await next.WriteAsync(envelope with { Payload = output! }, abort).ConfigureAwait(false);
                        continue;
                    }

                    outcome = output is ItemResult result
                        ? new Outcome(envelope.Key, ItemStatus.Done, envelope.Attempt, result, null)
                        : new Outcome(envelope.Key, ItemStatus.Failed, envelope.Attempt, null,
                            new FailureRecord(envelope.Key, spec.Name, "error", $"the last stage returned {output?.GetType().Name ?? "null"}, not an ItemResult", envelope.Attempt, spec.Backend, null));
                }

                if (outcome is not null)
                {
                    await results.WriteAsync(outcome, abort).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Aborted: what is still in the channels stays pending.
        }
        catch (ChannelClosedException)
        {
            // The writer failed and closed the results; the run is aborting.
        }
    }

    private async Task SinkAsync(RunState state, RunProgress progress, Channel<Outcome> results)
    {
        // Results are written in batches: when enough have gathered, and at least every flush interval (a timer
        // beside this loop), so a kill loses little and the writer never waits on a slow trickle. If the run state
        // cannot be written, the run aborts with that error instead of going on without recording.
        using var timerStop = new CancellationTokenSource();
        var timer = Task.Run(async () =>
        {
            using var periodic = new PeriodicTimer(_options.FlushInterval, _options.Time);
            try
            {
                while (await periodic.WaitForNextTickAsync(timerStop.Token).ConfigureAwait(false))
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
                Fail(results, ex);
            }
        });

        try
        {
            await foreach (var outcome in results.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                state.Record(outcome.Key, outcome.Status, outcome.Attempts, outcome.Result, outcome.Failure);
                progress.ItemFinished(outcome.Status);
                if (state.PendingCount >= _options.FlushEvery)
                {
                    state.Flush();
                }
            }

            state.Flush();
        }
        catch (Exception ex)
        {
            Fail(results, ex);
            throw;
        }
        finally
        {
            await timerStop.CancelAsync().ConfigureAwait(false);
            await timer.ConfigureAwait(false);
        }
    }

    private void Fail(Channel<Outcome> results, Exception ex)
    {
        _control.Abort("the run state could not be written: " + ex.Message);
        results.Writer.TryComplete(ex);
    }

    /// <summary>Names the cause of a failure with a short stable kind.</summary>
    internal static FailureRecord Classify(Envelope envelope, StageSpec spec, Exception ex)
    {
        (string kind, string message, string? detail, int attempts) = ex switch
        {
            SampleFailedException f => (f.Kind, f.Message, f.Detail, f.Attempts),
            TimeoutException => ("timeout", ex.Message, null, 1),
            OperationCanceledException => ("timeout", "the operation timed out: " + ex.Message, null, 1),
            HttpRequestException { StatusCode: { } code } => ($"http-{(int)code}", ex.Message, null, 1),
            HttpRequestException => ("connection", ex.Message, null, 1),
            JsonException => ("unparsable", ex.Message, null, 1),
            _ => ("error", $"{ex.GetType().Name}: {ex.Message}", ex.ToString(), 1),
        };
        return new FailureRecord(envelope.Key, spec.Name, kind, message, Math.Max(attempts, envelope.Attempt), spec.Backend, detail);
    }

    private static List<FailureCount> FailureCounts(RunState state) => state.Failures()
        .GroupBy(f => (f.Stage, f.Kind, f.Dropped))
        .Select(g => new FailureCount(g.Key.Stage, g.Key.Kind, g.Key.Dropped, g.LongCount()))
        .OrderByDescending(f => f.Count).ThenBy(f => f.Stage, StringComparer.Ordinal).ThenBy(f => f.Kind, StringComparer.Ordinal)
        .ToList();

    private DryRunProjection Project(RunProgress progress, IReadOnlyList<UsageTotals> usage, long toProcess)
    {
        long calibrated = Math.Max(1, progress.Finished);
        long remaining = Math.Max(0, toProcess - progress.Finished);
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
        var elapsed = progress.Elapsed;
        return new DryRunProjection(progress.Finished, remaining, projected, projected.Sum(_options.Prices.Cost), TimeSpan.FromSeconds(elapsed.TotalSeconds * scale));
    }

    private void Say(RunLog log, string message)
    {
        log.Write(message);
        _observer.Notice(message);
    }

    private static string Describe(RunOutcome outcome) => string.Create(CultureInfo.InvariantCulture,
        $"end: {outcome.Done} done, {outcome.Failed} failed, {outcome.Dropped} dropped, {outcome.Pending} pending of {outcome.Items}; {outcome.ProcessedNow} processed in {outcome.Elapsed.TotalSeconds:F1} s{(outcome.StopReason is null ? "" : "; stopped: " + outcome.StopReason)}");

    /// <summary>An item on its way through the stages.</summary>
    internal sealed record Envelope(string Key, ulong Seed, int Attempt, object Payload);

    private sealed record Outcome(string Key, ItemStatus Status, int Attempts, ItemResult? Result, FailureRecord? Failure);
}
