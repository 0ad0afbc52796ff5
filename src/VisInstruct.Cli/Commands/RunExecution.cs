using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using VisInstruct.Backends.Composition;
using VisInstruct.Cli.Progress;
using VisInstruct.Config;
using VisInstruct.Engine;
using VisInstruct.Recipes;

namespace VisInstruct.Cli.Commands;

/// <summary>
/// Runs a plan on the engine for a command: health checks first, progress on the console, Ctrl+C as a clean stop
/// (twice to abort what is in flight), then a summary and the exit code.
/// </summary>
internal static class RunExecution
{
    /// <summary>Exit code of a run that stopped before it finished (budget reached, limit): resumable.</summary>
    public const int Stopped = 3;

    /// <summary>The stop reason of a run stopped by SIGTERM.</summary>
    private const string Terminated = "terminated (SIGTERM)";

    /// <summary>
    /// What every engine-run command does with a recipe: check the options, load the config, build the backends, plan
    /// the recipe into <paramref name="outDir"/> (an <see cref="ArgumentException"/> from the plan is bad usage) and run it.
    /// </summary>
    public static async Task<(int Code, RunConfig Config, bool Sharded)> PlanAndRunAsync(CliConsole console, ParseResult result,
        RunOptions run, IRecipe recipe, string outDir, RecipeArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(recipe);
        run.CheckUsage(result, "--out", outDir);
        var config = run.LoadConfig(result);
        string? configFile = result.GetValue(run.Config);
        using var backends = BackendFactory.Create(config, RunOptions.Environment(), configFile ?? RunOptions.UnnamedConfig,
            GenerationEngine.TempDirectory(outDir));
        var engineOptions = run.EngineOptions(result, config, outDir, backends.Images.IsProcedural);
        RecipePlan plan;
        try
        {
            plan = recipe.Plan(new RecipeRequest
            {
                Config = config, ConfigFile = configFile, Backends = backends, Seed = engineOptions.Seed, OutputDirectory = outDir,
                Arguments = arguments,
            }, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        using (plan)
        {
            int code = await RunAsync(console, plan.Plan, engineOptions, backends, result.GetValue(run.Quiet),
                preflight: !result.GetValue(run.SkipPreflight), cancellationToken).ConfigureAwait(false);
            return (code, config, engineOptions.Shard.IsSharded);
        }
    }

    /// <summary>
    /// Runs <paramref name="plan"/>; <paramref name="preflight"/>: check every configured backend first (not with
    /// <c>--skip-preflight</c>).
    /// </summary>
    public static async Task<int> RunAsync(CliConsole console, GenerationPlan plan, EngineOptions options, RunBackends backends, bool quiet,
        bool preflight, CancellationToken cancellationToken)
    {
        if (preflight)
        {
            await CheckBackendsAsync(console, backends, cancellationToken).ConfigureAwait(false);
        }

        using var control = new RunControl();
        int presses = 0;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            if (Interlocked.Increment(ref presses) == 1)
            {
                console.Error.WriteLine("stopping: finishing what is in flight (Ctrl+C again to stop at once); run the same command to " +
                    "resume");
                control.Stop("interrupted");
            }
            else
            {
                control.Abort("interrupted");
            }
        };
        Console.CancelKeyPress += onCancel;
        // SIGTERM (what Slurm and Kubernetes send first) stops like Ctrl+C: what is in flight finishes and is written,
        // the lease is released, exit 143; a second one aborts what is in flight.
        int terms = 0;
        using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM,
            context =>
        {
            context.Cancel = true;
            if (Interlocked.Increment(ref terms) == 1)
            {
                console.Error.WriteLine("stopping (SIGTERM): finishing what is in flight; run the same command to resume");
                control.Stop(Terminated);
            }
            else
            {
                control.Abort(Terminated);
            }
        });
        using var observer = new ConsoleRunObserver(ConsoleRunObserver.Choose(quiet), AnsiConsole.Console, console.Error);
        RunOutcome outcome;
        try
        {
            outcome = await new GenerationEngine(plan, options, observer, control).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigChangedException ex)
        {
            throw new UsageException(ex.Message);
        }
        catch (RunLockedException ex)
        {
            throw new UsageException(ex.Message);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        Summarize(console, outcome, options);
        if (outcome.Projection is not null)
        {
            return ExitCodes.Success;
        }

        if (outcome.StopReason == "interrupted")
        {
            return ExitCodes.Interrupted;
        }

        if (outcome.StopReason == Terminated)
        {
            return ExitCodes.Terminated;
        }

        if (outcome.FailureRatioExceeded)
        {
            return ExitCodes.Failures;
        }

        return outcome.Complete ? ExitCodes.Success : Stopped;
    }

    /// <summary>
    /// The pre-flight checks: one cheap request to every endpoint of every configured backend before anything is paid
    /// for. A backend none of whose endpoints can serve stops the run (exit 2) with each endpoint's problem; one down
    /// endpoint among others is a warning.
    /// </summary>
    private static async Task CheckBackendsAsync(CliConsole console, RunBackends backends, CancellationToken cancellationToken)
    {
        var results = await Preflight.CheckAsync(backends, Preflight.DefaultTimeout, cancellationToken).ConfigureAwait(false);
        var down = results.Where(r => r.AllDown).ToList();
        if (down.Count > 0)
        {
            throw new UsageException("pre-flight check failed, so nothing was sent that is paid for:\n"
                + string.Join("\n",
                    down.Select(r => $"  no {r.Backend} endpoint can serve the run:\n    "
                    + string.Join("\n    ", r.Endpoints.Select(e => e.Message))))
                + "\n(--skip-preflight runs without these checks, for a server that does not answer them)");
        }

        foreach (var result in results)
        {
            foreach (var endpoint in result.Endpoints.Where(e => !e.Ok))
            {
                backends.MarkDown(endpoint.Endpoint);
                console.Error.WriteLine($"warning: {result.Backend}: {endpoint.Message}; the run goes on with the other endpoints and " +
                    $"tries this one again later");
            }
        }
    }

    private static string Unpriced(RunOutcome outcome) =>
        outcome.UnpricedModels.Count > 0 ? $" (no price for {string.Join(", ", outcome.UnpricedModels)})" : "";

    private static void Summarize(CliConsole console, RunOutcome outcome, EngineOptions options)
    {
        var o = console.Out;
        if (outcome.Projection is { } p)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dry run: {p.CalibrationItems} samples made as a calibration (kept: the real run will not make them again); " +
                    $"{p.RemainingItems} to go"));
            foreach (var usage in p.ProjectedUsage)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {usage.Backend} {usage.Model}: {usage.Requests} requests, {usage.InputTokens} input and {usage.OutputTokens} " +
                        $"output tokens, {usage.Images} images"));
            }

            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  projected time {Clock(p.ProjectedTime)} at the calibration's pace, cost " +
                    $"${p.ProjectedCost:F2}{Unpriced(outcome)}"));
            return;
        }

        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{outcome.Recipe}{RunOptions.Describe(outcome.Shard)}: {outcome.Done} done, {outcome.Failed} failed, {outcome.Dropped} " +
                $"dropped{(outcome.Pending > 0 ? $", {outcome.Pending} pending" : "")} of {outcome.Items} ({outcome.ProcessedNow} this " +
                    $"run, {outcome.Elapsed.TotalSeconds:F1} s)"));
        foreach (var failure in outcome.Failures.Take(10))
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {(failure.Dropped ? "dropped" : "failed")} at {failure.Stage}: {failure.Kind} x{failure.Count}"));
        }

        foreach (var usage in outcome.Usage)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {usage.Backend} {usage.Model}: {usage.Requests} requests ({usage.CacheHits} from cache, {usage.Errors} errors), " +
                    $"{usage.InputTokens} input and {usage.OutputTokens} output tokens, {usage.Images} images"));
        }

        if (outcome.Cost > 0 || outcome.UnpricedModels.Count > 0)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  cost ${outcome.Cost:F2}{Unpriced(outcome)}"));
        }

        if (outcome.StopReason is not null)
        {
            o.WriteLine($"stopped: {outcome.StopReason}; run the same command again to continue");
        }

        if (outcome.FailureRatioExceeded)
        {
            console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"error: {outcome.FailureRatio:P1} of samples failed, more than the allowed {options.MaxFailureRatio:P1}; see " +
                    $"{Path.Combine(outcome.OutputDirectory, DatasetWriter.FailuresFile)}; --retry-failed retries them"));
        }

        var written = outcome.DatasetFiles.Append(DatasetWriter.ManifestFile).Append(DatasetWriter.CardFile);
        if (File.Exists(Path.Combine(outcome.OutputDirectory, DatasetWriter.StatisticsFile)))
        {
            written = written.Append(DatasetWriter.StatisticsFile);
        }

        o.WriteLine($"dataset: {Path.GetFullPath(outcome.OutputDirectory)} ({string.Join(", ", written)})");
    }

    private static string Clock(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours:D2}:{span.Minutes:D2}:{span.Seconds:D2}");
}
