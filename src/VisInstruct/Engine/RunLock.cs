using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace VisInstruct.Engine;

/// <summary>How the run state's lease is held: its timeout, how often it is renewed, and whether to take it over.</summary>
public sealed record LeaseOptions
{
    /// <summary>A lease whose heartbeat is older than this is taken over (60 s by default).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the live run renews its lease (a sixth of the timeout by default: 10 s).</summary>
    public TimeSpan? Heartbeat { get; init; }

    /// <summary>Take the lease over even from a holder that looks alive (<c>--take-over</c>).</summary>
    public bool TakeOver { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    internal TimeSpan Interval => Heartbeat ?? TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond / 10, Timeout.Ticks / 6));
}

/// <summary>
/// The lease on a run state: a file beside it naming the holder (host, process id, the process's start time, a nonce
/// and the lease's timeout), created atomically (O_EXCL), whose modification time is the heartbeat the live run
/// renews. SQLite's own locks are unreliable on the network filesystems where cluster shards write, and a lock left by
/// a killed run must not block its requeued rerun for ever, so a lease is taken over (with a message) when its
/// heartbeat is older than its timeout, or, on this host, when its process is gone or its id now belongs to another
/// process (a container restarted as PID 1). A live lease on another host is refused, saying how old its heartbeat is;
/// <see cref="LeaseOptions.TakeOver"/> takes it anyway. A run that finds its lease taken from it stops.
/// </summary>
internal sealed class RunLock : IDisposable
{
    private readonly string _path;
    private readonly string _nonce;
    private readonly LeaseOptions _options;
    private readonly Lock _gate = new();
    private FileStream? _stream;
    private ITimer? _timer;

    private RunLock(string path, FileStream stream, string nonce, LeaseOptions options)
    {
        _path = path;
        _stream = stream;
        _nonce = nonce;
        _options = options;
    }

    /// <summary>What was taken over to get the lease (null when it was free), for the run's log.</summary>
    public string? TakenOver { get; private set; }

    /// <summary>Raised (once) when the lease turns out to be held by someone else: the run must stop writing.</summary>
    public event Action<string>? Lost;

    public static RunLock Acquire(string path, LeaseOptions? options = null)
    {
        options ??= new LeaseOptions();
        string? takenOver = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            string nonce = Guid.NewGuid().ToString("N");
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 512, FileOptions.WriteThrough);
            }
            catch (IOException) when (File.Exists(path))
            {
                var holder = LeaseHolder.Read(path);
                var now = options.Time.GetUtcNow();
                string? reason = options.TakeOver ? "--take-over was given" : holder.StaleBecause(now);
                if (reason is null)
                {
                    throw new RunLockedException(path, holder.Refusal(now, path));
                }

                takenOver = $"took over the run's lease from {holder.Describe()}: {reason}";
                // Aside by rename (atomic: of two runs taking over, one moves the stale file, the other finds it gone).
                string aside = path + ".stale-" + nonce;
                try
                {
                    File.Move(path, aside);
                    File.Delete(aside);
                }
                catch (IOException)
                {
                }

                continue;
            }

            try
            {
                using (var writer = new StreamWriter(stream, leaveOpen: true))
                {
                    writer.Write(LeaseHolder.Write(nonce, options.Timeout));
                }

                stream.Flush(flushToDisk: true);
            }
            catch
            {
                stream.Dispose();
                TryDelete(path);
                throw;
            }

            var runLock = new RunLock(path, stream, nonce, options) { TakenOver = takenOver };
            runLock._timer = options.Time.CreateTimer(_ => runLock.Beat(), null, options.Interval, options.Interval);
            return runLock;
        }

        throw new RunLockedException(path, "the lease could not be taken: another run took it at the same moment");
    }

    /// <summary>Renews the lease (the file's modification time), after checking it is still this run's.</summary>
    internal void Beat()
    {
        string? lost = null;
        lock (_gate)
        {
            if (_stream is null)
            {
                return;
            }

            try
            {
                var holder = LeaseHolder.Read(_path);
                if (holder.Nonce != _nonce)
                {
                    lost = holder.Nonce is null ? $"its lease file {_path} was removed" : $"its lease was taken over by {holder.Describe()}";
                }
                else
                {
                    File.SetLastWriteTimeUtc(_path, _options.Time.GetUtcNow().UtcDateTime);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A filesystem hiccup: the next beat tries again; the lease lasts six beats.
            }

            if (lost is not null)
            {
                _timer?.Dispose();
                _timer = null;
            }
        }

        if (lost is not null)
        {
            Lost?.Invoke(lost);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stream is null)
            {
                return;
            }

            _timer?.Dispose();
            _timer = null;
            _stream.Dispose();
            _stream = null;
            // Released only if still ours: a run that lost its lease leaves the new holder's file alone.
            if (LeaseHolder.Read(_path).Nonce == _nonce)
            {
                TryDelete(_path);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A lease file that cannot be deleted expires with its heartbeat.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>What a lease file says about its holder, and whether it is stale.</summary>
internal sealed record LeaseHolder(string? Host, int? Pid, string? ProcessStart, string? Nonce, TimeSpan Timeout, DateTimeOffset Heartbeat)
{
    public static string Write(string nonce, TimeSpan timeout) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["host"] = Environment.MachineName,
        ["pid"] = Environment.ProcessId,
        ["process_start"] = ProcessStartOf(Environment.ProcessId) ?? "",
        ["nonce"] = nonce,
        ["timeout_seconds"] = timeout.TotalSeconds,
        ["tool"] = ToolInfo.Name + " " + ToolInfo.Version,
    }) + "\n";

    public static LeaseHolder Read(string path)
    {
        string text;
        DateTimeOffset heartbeat;
        try
        {
            text = File.ReadAllText(path).Trim();
            heartbeat = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new LeaseHolder(null, null, null, null, TimeSpan.FromSeconds(60), DateTimeOffset.MinValue);
        }

        var fallback = TimeSpan.FromSeconds(60);
        if (text.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                string? S(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                int? pid = root.TryGetProperty("pid", out var p) && p.TryGetInt32(out int n) ? n : null;
                var timeout = root.TryGetProperty("timeout_seconds", out var t) && t.TryGetDouble(out double seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : fallback;
                return new LeaseHolder(S("host"), pid, S("process_start") is { Length: > 0 } start ? start : null, S("nonce"), timeout, heartbeat);
            }
            catch (JsonException)
            {
            }
        }

        // The lock file of earlier versions: "HOST PID", never renewed.
        string[] parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int old)
            ? new LeaseHolder(parts[0], old, null, null, fallback, heartbeat)
            : new LeaseHolder(null, null, null, null, fallback, heartbeat);
    }

    public TimeSpan Age(DateTimeOffset now) => Heartbeat == DateTimeOffset.MinValue ? TimeSpan.MaxValue : now - Heartbeat;

    /// <summary>Why the lease may be taken over; null while its holder may still be running.</summary>
    public string? StaleBecause(DateTimeOffset now)
    {
        var age = Age(now);
        if (age > Timeout)
        {
            return $"its heartbeat is {Words(age)} old, past the lease's timeout of {Words(Timeout)}";
        }

        if (Host != Environment.MachineName || Pid is not { } pid)
        {
            return null;
        }

        string? start = ProcessStartOf(pid);
        if (start is null)
        {
            return $"process {pid} is gone";
        }

        if (ProcessStart is not null && start != ProcessStart)
        {
            return $"process id {pid} now belongs to another process (started at another time: the holder was restarted, as a container's PID 1 is)";
        }

        return null;
    }

    public string Refusal(DateTimeOffset now, string path) =>
        $"held by {Describe()}, whose heartbeat is {Words(Age(now))} old (its lease expires after {Words(Timeout)} without one)"
        + (Host == Environment.MachineName ? "; that process is still running" : "; it may still be running there")
        + $". Wait for it, or if you know it is gone, run again with --take-over (or delete {path})";

    public string Describe() => Pid is { } pid && Host is not null ? $"process {pid} on {Host}" : "an unknown process";

    /// <summary>A process's start time as the system records it (Linux: <c>/proc/PID/stat</c> field 22); null when no such process runs.</summary>
    internal static string? ProcessStartOf(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{pid}/stat");
                // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return fields.Length > 19 && fields[0] != "Z" ? fields[19] : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    internal static string Words(TimeSpan span) => span == TimeSpan.MaxValue ? "unknown"
        : span.TotalSeconds < 120 ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, span.TotalSeconds):F0} s")
        : span.TotalMinutes < 120 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:F0} min")
        : span.TotalHours < 48 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:F0} h")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:F0} days");
}
