using System.Globalization;

namespace VisInstruct.Engine;

/// <summary>
/// Runs a <see cref="GenerationPlan"/>: work items flow from the recipe through the pipeline's stages over bounded
/// channels (backpressure), each stage with as many workers as its backend's concurrency limit (stages of the same
/// backend share the limit), into one writer that records every outcome in the run state. Items already finished are
/// skipped (resume); a failure is recorded for its item and the run goes on; a stop keeps what finished and leaves
/// the rest pending. Then the dataset is materialised from the run state in key order, so the same plan gives the
/// same bytes whatever the concurrency, interruptions or sharding.
/// The seams: <see cref="ResumeSelection"/> (resume, start afresh or refuse; which items this run processes),
/// <see cref="StagePump"/> (the stages and their channels), <see cref="FailureClassifier"/> (an exception of a stage
/// into its item's failure record), <see cref="ResultSink"/> (recording, then the dataset files) and
/// <see cref="DryRunProjection"/> (what a calibration run projects); this class opens the run state and wires them.
/// </summary>
public sealed class GenerationEngine
{
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
                $"the run state cannot be read ({(ex.SqliteErrorCode == 26 ? "it is not an SQLite database" : "the database is damaged")}"
                + "): was it cut short by a copy, or written by something else? "
                + $"Move {StateDirectory(_options.OutputDirectory)} aside to start this folder afresh "
                + "(the dataset files in it are kept until the new run replaces them)",
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
        var resume = new ResumeSelection(_plan, _options, state);
        resume.Prepare(log);
        foreach (var lost in state.Journal.LostOnOpen)
        {
            Say(log, string.Create(CultureInfo.InvariantCulture,
                $"note: {lost.Lost} request(s) to {lost.Backend} ({lost.Model}) had been sent by a process that stopped "
                + $"before their answers were recorded; "
                + $"they are counted as sent{(lost.EstimatedTokens > 0 ? $", with {lost.EstimatedTokens} estimated tokens" : "")}"));
        }

        var ledger = new UsageLedger(_options.Prices, state.Usage.Read(), _options.MaxRequests, _options.MaxCost);
        var gateway = new BackendGateway(state.Cache, state.Journal, ledger, _control);
        var stages = _plan.Pipeline.Stages.Select(s => new StageProgress(s.Name, s.Backend, _options.ConcurrencyFor(s.Backend))).ToList();
        var progress = new RunProgress(stages, _options.Time) { Ledger = ledger };

        var (owned, alreadyFinished, selected) = resume.Count();
        long limit = Math.Min(selected, _options.DryRunItems ?? _options.ItemLimit ?? long.MaxValue);
        progress.Total = limit;
        progress.AlreadyFinished = alreadyFinished;
        foreach (string notice in _plan.Notices)
        {
            Say(log, "note: " + notice);
        }

        log.Write(string.Create(CultureInfo.InvariantCulture,
            $"start: recipe {_plan.Recipe}, seed {_options.Seed}, shard {_options.Shard}, {owned} items, "
            + $"{alreadyFinished} finished before, "
            + $"{limit} to process{(_options.RetryFailed ? " (retrying failed items)" : "")}"));
        _observer.Started(progress);

        var sink = new ResultSink(state, progress, _options, _control);
        await ProcessAsync(resume.Selected(), limit, sink, gateway, progress, log).ConfigureAwait(false);
        if (Volatile.Read(ref leaseLost) is { } lostBecause)
        {
            // Another run holds the folder now: its dataset files are its to write.
            throw new RunLockedException(StatePath(_options.OutputDirectory), "this run lost its lease while it ran: " + lostBecause);
        }

        var finalUsage = ledger.ThisRun();
        state.Flush();

        var counts = state.Items.CountByStatus();
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
                : new BudgetState(ledger.MaxCost, ledger.MaxRequests, ledger.TotalCost(), ledger.Totals().Sum(t => t.Requests),
                    ledger.OpenReservations, ledger.ReservedCost),
            UnpricedModels = ledger.Totals()
                .Where(t => t.Requests > 0 && !LocalBackends.Contains(t.Backend) && !_options.Prices.Knows(t.Model))
                .Select(t => t.Model).Distinct().ToList(),
            Elapsed = _options.Time.GetElapsedTime(started),
            MaxFailureRatio = _options.MaxFailureRatio,
        };

        outcome = _options.DryRunItems is not null
            ? outcome with { Projection = DryRunProjection.Project(progress, finalUsage, selected, _options.Prices) }
            : outcome with { DatasetFiles = sink.WriteDataset(_plan, outcome) };

        log.Write(Describe(outcome));
        _observer.Finished(outcome);
        return outcome;
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

    /// <summary>Pumps the selected items through the stages into the sink, with the watchdog looking on.</summary>
    private async Task ProcessAsync(IEnumerable<Envelope> selected, long limit, ResultSink sink, BackendGateway gateway,
        RunProgress progress, RunLog log)
    {
        using var watchdogStop = new CancellationTokenSource();
        var watchdog = new Watchdog(progress, _options.StallWarning, message => Say(log, "warning: " + message))
            .RunAsync(watchdogStop.Token);
        var recording = Task.Run(sink.RunAsync);
        var pump = new StagePump(_plan.Pipeline.Stages, progress, gateway, _control, _options, DiskFull);
        try
        {
            try
            {
                await pump.RunAsync(selected, limit, sink.Writer).ConfigureAwait(false);
            }
            finally
            {
                sink.Writer.TryComplete();
                await recording.ConfigureAwait(false);
            }
        }
        finally
        {
            await watchdogStop.CancelAsync().ConfigureAwait(false);
            await watchdog.ConfigureAwait(false);
        }
    }

    /// <summary>A stage could not write because the disk is full: the run aborts (resumable), and says so at the end.</summary>
    private void DiskFull(Exception ex)
    {
        Interlocked.CompareExchange(ref _diskFull, IO.DiskSpace.Explain(ex, _options.OutputDirectory), null);
        _control.Abort("the disk is full");
    }

    private static List<FailureCount> FailureCounts(RunState state) => state.Items.Failures()
        .GroupBy(f => (f.Stage, f.Kind, f.Dropped))
        .Select(g => new FailureCount(g.Key.Stage, g.Key.Kind, g.Key.Dropped, g.LongCount()))
        .OrderByDescending(f => f.Count).ThenBy(f => f.Stage, StringComparer.Ordinal).ThenBy(f => f.Kind, StringComparer.Ordinal)
        .ToList();

    private void Say(RunLog log, string message)
    {
        log.Write(message);
        _observer.Notice(message);
    }

    private static string Describe(RunOutcome outcome) => string.Create(CultureInfo.InvariantCulture,
        $"end: {outcome.Done} done, {outcome.Failed} failed, {outcome.Dropped} dropped, {outcome.Pending} pending of {outcome.Items}; "
        + $"{outcome.ProcessedNow} processed in {outcome.Elapsed.TotalSeconds:F1} s"
        + $"{(outcome.StopReason is null ? "" : "; stopped: " + outcome.StopReason)}");

}
