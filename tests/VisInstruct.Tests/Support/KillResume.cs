using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace VisInstruct.Tests.Support;

/// <summary>The <c>visinstruct</c> command line as a child process (so it can be killed like a real run).</summary>
internal sealed class ChildCli : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private ChildCli(Process process) => _process = process;

    public static string CliPath()
    {
        string configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(Paths.Repository, "src", "VisInstruct.Cli", "bin", configuration, "net10.0", "VisInstruct.Cli.dll");
    }

    public static ChildCli Start(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // The request journal goes on in a new file every few records, so that kills land around that too.
        start.Environment["VISINSTRUCT_JOURNAL_ROTATE_BYTES"] = "2048";
        start.ArgumentList.Add(CliPath());
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var child = new ChildCli(Process.Start(start)!);
        child._process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The CPU time the process has used so far (zero once it is gone).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            try
            {
                _process.Refresh();
                return _process.TotalProcessorTime;
            }
            catch (InvalidOperationException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Waits for the process to end by itself; returns its exit code.</summary>
    public int WaitForExit(int milliseconds = 120_000)
    {
        if (!_process.WaitForExit(milliseconds))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException("the command did not finish: " + Output);
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no handler runs, nothing is flushed.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose() => _process.Dispose();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}

/// <summary>What a kill-and-resume run did: the paid requests the servers received, uninterrupted and across the kills.</summary>
internal sealed record KillResumeReport(int Uninterrupted, int Interrupted, IReadOnlyList<int> InFlightAtKills, string FinalOutput)
{
    public int Kills => InFlightAtKills.Count;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"uninterrupted {Uninterrupted} requests; {Kills} kills (in flight: {string.Join(", ", InFlightAtKills)}) + resume: "
            + $"{Interrupted} requests");
}

/// <summary>
/// Runs a command once uninterrupted, then in a second folder killed with SIGKILL at seeded moments and rerun until it
/// finishes. A kill comes while requests are in flight: the servers answer a seeded number of requests in the round,
/// hold every further one, and once nothing else moves and the process is idle the test notes how many are unanswered
/// and kills it.
/// </summary>
internal static class KillResume
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Whether the child has been idle over the last window: it used almost no CPU, so it is waiting on the held
    /// requests and has recorded every answer it was given (the servers going quiet is not enough: a client starved
    /// of CPU by a loaded machine can hold an answer it has read but not yet journaled, and a kill would lose it).
    /// </summary>
    private static bool Idle(Queue<(TimeSpan At, TimeSpan Used)> cpu, TimeSpan now)
    {
        var (at, used) = cpu.Peek();
        var (_, latest) = cpu.Last();
        return now - at >= Window - TimeSpan.FromMilliseconds(40) && latest - used <= TimeSpan.FromMilliseconds(20);
    }

    public static KillResumeReport Run(KillGate gate, Func<string, IReadOnlyList<string>> command, string reference, string killed,
        int kills, int seed)
    {
        gate.StartRound();
        using (var whole = ChildCli.Start(command(reference)))
        {
            int code = whole.WaitForExit();
            if (code != 0)
            {
                throw new InvalidOperationException($"the uninterrupted run exited {code}: {whole.Output}");
            }
        }

        int uninterrupted = gate.Received;
        var random = new Random(seed);
        var inFlight = new List<int>();
        for (int round = 0; round < kills; round++)
        {
            gate.StartRound(random.Next(1, Math.Max(2, (uninterrupted / (kills + 1)) + 1)));
            using var child = ChildCli.Start(command(killed));
            var watch = Stopwatch.StartNew();
            long last = gate.Changes;
            var quietSince = watch.Elapsed;
            var cpu = new Queue<(TimeSpan At, TimeSpan Used)>();
            while (!child.HasExited && watch.Elapsed < TimeSpan.FromSeconds(90))
            {
                Thread.Sleep(20);
                cpu.Enqueue((watch.Elapsed, child.CpuTime));
                while (cpu.Count > 1 && watch.Elapsed - cpu.Peek().At > Window)
                {
                    cpu.Dequeue();
                }

                long now = gate.Changes;
                if (now != last)
                {
                    last = now;
                    quietSince = watch.Elapsed;
                }
                else if (gate.Held > 0 && gate.Unanswered == gate.Held && watch.Elapsed - quietSince > Window
                    && Idle(cpu, watch.Elapsed))
                {
                    break;
                }
            }

            if (!child.HasExited)
            {
                child.Kill();
                // A request the process wrote to its socket just before it died reaches the server after: it was in
                // flight at the kill too. Wait until the servers have read everything, then count.
                var settle = Stopwatch.StartNew();
                long seen = gate.Changes;
                var still = settle.Elapsed;
                while (settle.Elapsed - still < TimeSpan.FromMilliseconds(300) && settle.Elapsed < TimeSpan.FromSeconds(10))
                {
                    Thread.Sleep(20);
                    if (gate.Changes != seen)
                    {
                        seen = gate.Changes;
                        still = settle.Elapsed;
                    }
                }

                inFlight.Add(gate.Unanswered);
            }

            gate.ReleaseHeld();
        }

        gate.StartRound();
        using var final = ChildCli.Start(command(killed));
        int finalCode = final.WaitForExit();
        if (finalCode != 0)
        {
            throw new InvalidOperationException($"the resumed run exited {finalCode}: {final.Output}");
        }

        return new KillResumeReport(uninterrupted, gate.Received - uninterrupted, inFlight, final.Output);
    }

    /// <summary>SHA-256 of every file the run wrote that is a function of the command (not the manifest's timings and accounting, logs or
    /// the run state).</summary>
    public static SortedDictionary<string, string> OutputHashes(string folder)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            if (relative is "manifest.json" or "run.log" || relative.StartsWith(".visinstruct/", StringComparison.Ordinal)
                || relative.StartsWith("logs/", StringComparison.Ordinal))
            {
                continue;
            }

            hashes[relative] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return hashes;
    }

    /// <summary>The requests the manifest counts as sent to backends other than the built-in ones.</summary>
    public static long ManifestRequests(string folder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "manifest.json")));
        return manifest.RootElement.GetProperty("usage").EnumerateArray()
            .Where(u => u.GetProperty("backend").GetString() is not ("procedural" or "template"))
            .Sum(u => u.GetProperty("requests").GetInt64());
    }

    /// <summary>The lost answers the manifest reports (sent by a killed process, counted on resume).</summary>
    public static long ManifestLost(string folder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "manifest.json")));
        return manifest.RootElement.GetProperty("usage").EnumerateArray()
            .Sum(u => u.TryGetProperty("lost_answers", out var lost) ? lost.GetInt64() : 0);
    }
}
