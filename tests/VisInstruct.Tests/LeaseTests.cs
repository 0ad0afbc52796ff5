using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using VisInstruct.Engine;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

/// <summary>
/// The run state's lease: what a killed or preempted run leaves is taken over by its rerun (old heartbeat, dead
/// process, a process id reused by another process); a live holder elsewhere is refused unless <c>--take-over</c>;
/// SIGTERM stops a run like Ctrl+C (exit 143, lease released, resumable). With a real child process and with
/// fabricated lease files.
/// </summary>
public partial class LeaseTests
{
    private static readonly string[] Small = ["--count", "2", "--abilities", "color", "--quiet"];

    private static string LockPath(string output) => GenerationEngine.StatePath(output) + ".lock";

    /// <summary>Writes a lease file as another holder would have, its heartbeat <paramref name="age"/> ago.</summary>
    private static void Fabricate(string output, string host, int pid, string? processStart, TimeSpan age, double timeoutSeconds = 60)
    {
        string path = LockPath(output);
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["host"] = host, ["pid"] = pid, ["process_start"] = processStart, ["nonce"] = "fabricated",
                ["timeout_seconds"] = timeoutSeconds,
        }));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
    }

    /// <summary>Whether the lease file exists and names a holder (its nonce written).</summary>
    private static bool HoldsLease(string path)
    {
        try
        {
            return File.Exists(path) && File.ReadAllText(path).Contains("\"nonce\":", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string MadeRun(TempDir dir)
    {
        string output = dir.File("out");
        Assert.Equal(0, CliRunner.Run(["generate", "--out", output, .. Small]).ExitCode);
        Assert.False(File.Exists(LockPath(output)));
        return output;
    }

    private static int DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    [Fact]
    public void LeaseOnAnotherHost_WithAnOldHeartbeat_IsTakenOver_WithAMessage()
    {
        using var dir = new TempDir();
        string output = MadeRun(dir);
        Fabricate(output, "node-17", 4242, "5512", TimeSpan.FromMinutes(10));

        var result = CliRunner.Run(["generate", "--out", output, .. Small]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains(
            "took over the run's lease from process 4242 on node-17: its heartbeat is 10 min old, past the lease's timeout of 60 s",
            result.Error, StringComparison.Ordinal);
        Assert.Contains("took over the run's lease", File.ReadAllText(Path.Combine(output, "run.log")), StringComparison.Ordinal);
        Assert.False(File.Exists(LockPath(output)));
    }

    [Fact]
    public void LiveLeaseOnAnotherHost_IsRefused_SayingHowOldItsHeartbeatIs_AndAboutTakeOver()
    {
        using var dir = new TempDir();
        string output = MadeRun(dir);
        string before = File.ReadAllText(Path.Combine(output, "llava.json"));
        Fabricate(output, "node-17", 4242, "5512", TimeSpan.FromSeconds(5));

        var refused = CliRunner.Run(["generate", "--out", output, .. Small]);

        Assert.Equal(2, refused.ExitCode);
        Assert.Matches(HeartbeatAge(), refused.Error);
        Assert.Contains("held by process 4242 on node-17", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--take-over", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(output, "llava.json")));
        Assert.Contains("\"nonce\":\"fabricated\"", File.ReadAllText(LockPath(output)), StringComparison.Ordinal);

        var forced = CliRunner.Run(["generate", "--out", output, "--take-over", .. Small]);

        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Contains("took over the run's lease from process 4242 on node-17: --take-over was given", forced.Error,
            StringComparison.Ordinal);
        Assert.False(File.Exists(LockPath(output)));
    }

    [Fact]
    public void LeaseOnThisHost_NamingPid1StartedAtAnotherTime_IsTakenOver()
    {
        using var dir = new TempDir();
        string output = MadeRun(dir);
        // A container restarted: its first life was PID 1 too, but PID 1 now is another process.
        Fabricate(output, Environment.MachineName, 1, "999999999999", TimeSpan.FromSeconds(1));

        var result = CliRunner.Run(["generate", "--out", output, .. Small]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains(
            $"took over the run's lease from process 1 on {Environment.MachineName}: process id 1 now belongs to another process",
            result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void LeaseOnThisHost_NamingADeadProcess_IsTakenOver()
    {
        using var dir = new TempDir();
        string output = MadeRun(dir);
        int dead = DeadPid();
        Fabricate(output, Environment.MachineName, dead, "123", TimeSpan.FromSeconds(1));

        var result = CliRunner.Run(["generate", "--out", output, .. Small]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"process {dead} is gone"), result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void LockFileOfEarlierVersions_LeftOnAnotherHost_IsTakenOverOnceOld()
    {
        using var dir = new TempDir();
        string output = MadeRun(dir);
        File.WriteAllText(LockPath(output), "node-3 77\n");
        File.SetLastWriteTimeUtc(LockPath(output), DateTime.UtcNow - TimeSpan.FromHours(3));

        var result = CliRunner.Run(["generate", "--out", output, .. Small]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("from process 77 on node-3: its heartbeat is 3 h old", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void LiveLeaseInThisProcess_IsRefused()
    {
        using var dir = new TempDir();
        string path = dir.File("state.db");
        using var holder = RunState.OpenForWriting(path);
        var refused = Assert.Throws<RunLockedException>(() => RunState.OpenForWriting(path));
        Assert.Contains($"held by process {Environment.ProcessId} on {Environment.MachineName}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("that process is still running", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Heartbeat_RenewsTheLease_AndNoticesWhenItWasTaken()
    {
        using var dir = new TempDir();
        string path = dir.File("state.db.lock");
        using var lease = RunLock.Acquire(path, new LeaseOptions { Heartbeat = TimeSpan.FromHours(1) });
        var old = DateTime.UtcNow - TimeSpan.FromHours(2);
        File.SetLastWriteTimeUtc(path, old);

        lease.Beat();

        Assert.True(File.GetLastWriteTimeUtc(path) > old + TimeSpan.FromHours(1));
        string? lost = null;
        lease.Lost += reason => lost = reason;
        File.WriteAllText(path, JsonSerializer.Serialize(new { host = "node-9", pid = 12, nonce = "theirs", timeout_seconds = 60 }));

        lease.Beat();

        Assert.Equal("its lease was taken over by process 12 on node-9", lost);
        lease.Dispose();
        Assert.Contains("theirs", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigTerm_StopsTheRunCleanly_Exit143_ReleasesTheLease_AndTheRerunResumes()
    {
        using var dir = new TempDir();
        string output = dir.File("out");
        string[] command = ["generate", "--out", output, "--count", "1500", "--abilities", "color", "--quiet"];
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ChildCli.CliPath());
        foreach (string arg in command)
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        // Signalled once it holds the lease and has made its first images.
        var clock = Stopwatch.StartNew();
        while (!child.HasExited && clock.Elapsed < TimeSpan.FromSeconds(120)
            && !(File.Exists(LockPath(output)) && Directory.Exists(Path.Combine(output, "images", "color"))
                && Directory.EnumerateFiles(Path.Combine(output, "images", "color")).Any()))
        {
            Thread.Sleep(20);
        }

        Assert.False(child.HasExited, "the run ended before it could be signalled");
        using (var kill = Process.Start("kill", ["-TERM", child.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        Assert.True(child.WaitForExit(120_000), "the run did not stop after SIGTERM");
        string error = await stderr;
        string said = await stdout;
        Assert.Equal(143, child.ExitCode);
        Assert.Contains("stopping (SIGTERM)", error, StringComparison.Ordinal);
        Assert.Contains("stopped: terminated (SIGTERM)", said, StringComparison.Ordinal);
        Assert.False(File.Exists(LockPath(output)));
        long done = long.Parse(DoneCount().Match(said).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(done, 1, 1499);

        var rerun = CliRunner.Run(command);

        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $", {done} finished before,"),
            File.ReadAllText(Path.Combine(output, "run.log")), StringComparison.Ordinal);
        Assert.Contains("1500 done, 0 failed, 0 dropped of 1500", rerun.Out, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"whose heartbeat is \d+ s old \(its lease expires after 60 s without one\)")]
    private static partial Regex HeartbeatAge();

    [Theory]
    [InlineData("0")]
    [InlineData("NaN")]
    public void LeaseTimeoutOutOfRange_IsBadUsage(string value)
    {
        using var dir = new TempDir();
        var result = CliRunner.Run(["generate", "--out", dir.File("out"), "--lease-timeout", value, .. Small]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--lease-timeout must be a number of seconds between 1 and 86400", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public async Task RunWhoseLeaseIsTaken_Stops_AndLeavesTheDatasetFilesToTheNewHolder()
    {
        using var dir = new TempDir();
        var recipe =
            new VisInstruct.EngineHost.SyntheticRecipe { Items = 4000, Latency = TimeSpan.FromMilliseconds(10), FixedLatency = true };
        var options = VisInstruct.Tests.Engine.EngineFixture.Options(dir.Path, concurrency: 1) with
        {
            Lease = new LeaseOptions { Heartbeat = TimeSpan.FromMilliseconds(50) },
        };
        var run = Task.Run(() => new GenerationEngine(recipe.Plan(), options).RunAsync());
        var clock = Stopwatch.StartNew();
        // Wait for the run's own lease to be written whole (the file exists a moment before its holder is in it).
        while (!HoldsLease(LockPath(dir.Path)) && !run.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(10);
        }

        Assert.False(run.IsCompleted, "the run ended before its lease could be taken");
        Fabricate(dir.Path, "node-2", 99, null, TimeSpan.Zero);

        var lost = await Assert.ThrowsAsync<RunLockedException>(() => run);

        Assert.Contains("this run lost its lease while it ran: its lease was taken over by process 99 on node-2", lost.Message,
            StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir.Path, "manifest.json")));
        Assert.Contains("\"nonce\":\"fabricated\"", File.ReadAllText(LockPath(dir.Path)), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"stablellava: (\d+) done")]
    private static partial Regex DoneCount();
}
