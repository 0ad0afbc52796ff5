using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace VisInstruct.Engine;

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
                string? S(string name) =>
                    root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                int? pid = root.TryGetProperty("pid", out var p) && p.TryGetInt32(out int n) ? n : null;
                var timeout = root.TryGetProperty("timeout_seconds", out var t) && t.TryGetDouble(out double seconds) && seconds > 0
                    ? TimeSpan.FromSeconds(seconds) : fallback;
                return new LeaseHolder(S("host"), pid, S("process_start") is { Length: > 0 } start ? start : null, S("nonce"), timeout,
                    heartbeat);
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

    /// <summary>Whether the file says nothing of its holder (empty, cut short, or not a lease file): read while missing or torn.</summary>
    public bool NamesNobody => Nonce is null && Pid is null && Host is null;

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
            return $"process id {pid} now belongs to another process (started at another time: the holder was restarted, as a "
                + $"container's PID 1 is)";
        }

        return null;
    }

    public string Refusal(DateTimeOffset now, string path) =>
        $"held by {Describe()}, whose heartbeat is {Words(Age(now))} old (its lease expires after {Words(Timeout)} without one)"
        + (Host == Environment.MachineName ? "; that process is still running" : "; it may still be running there")
        + $". Wait for it, or if you know it is gone, run again with --take-over (or delete {path})";

    public string Describe() => Pid is { } pid && Host is not null ? $"process {pid} on {Host}" : "an unknown process";

    /// <summary>A process's start time as the system records it (Linux: <c>/proc/PID/stat</c> field 22); null when no such process
    /// runs.</summary>
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
