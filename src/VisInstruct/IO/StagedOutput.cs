namespace VisInstruct.IO;

/// <summary>
/// Output files written beside their destinations under temporary names and moved into place only when all of them
/// are complete: a failed or interrupted command leaves no half file and does not touch what the user already had.
/// </summary>
public sealed class StagedOutput : IDisposable
{
    private readonly List<(string Temp, string Final)> _files = [];
    private readonly string? _tempDirectory;
    private bool _committed;

    /// <summary>
    /// Stages files beside their destinations, or in <paramref name="tempDirectory"/> (which must be on the same
    /// filesystem) when given: a run that owns such a folder can clear what a killed process left there.
    /// </summary>
    public StagedOutput(string? tempDirectory = null)
    {
        _tempDirectory = tempDirectory;
        if (tempDirectory is not null)
        {
            Directory.CreateDirectory(tempDirectory);
        }
    }

    /// <summary>Creates a temporary file for <paramref name="finalPath"/> (creating its folder) and returns a stream to it.</summary>
    public FileStream Create(string finalPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(finalPath);
        string full = Path.GetFullPath(finalPath);
        if (_files.Any(f => string.Equals(f.Final, full, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"two outputs would both be written to {finalPath}");
        }

        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        if (_tempDirectory is null)
        {
            RemoveStale(directory, Path.GetFileName(full));
        }

        string temp = Path.Combine(_tempDirectory ?? directory, TempName(Path.GetFileName(full)));
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        _files.Add((temp, full));
        return stream;
    }

    /// <summary>
    /// A temporary file older than this (by its last write) is stale whoever made it: a writer that is alive writes
    /// to it all the time.
    /// </summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(6);

    private static readonly string Host = string.Concat(Environment.MachineName.Select(c => char.IsAsciiLetterOrDigit(c) || c == '.' ? c
        : '_'));

    /// <summary>The temporary name for a file: <c>.NAME.tmp-HOST-PID-RANDOM</c>, so a later run can tell whose it is.</summary>
    public static string TempName(string fileName) => $".{fileName}.tmp-{Host}-{Environment.ProcessId}-{Path.GetRandomFileName()}";

    /// <summary>
    /// Removes the temporary files of <paramref name="fileName"/> that killed runs left in <paramref name="directory"/>:
    /// those of a process on this host that is no longer alive, and those of anyone not written to for
    /// <see cref="StaleAfter"/>. Returns how many were removed.
    /// </summary>
    public static int RemoveStale(string directory, string fileName, DateTime? now = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(fileName);
        int removed = 0;
        string prefix = $".{fileName}.tmp-";
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(directory, prefix + "*").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        foreach (string path in candidates)
        {
            string tail = Path.GetFileName(path)[prefix.Length..];
            if (!IsStale(tail, path, now ?? DateTime.UtcNow))
            {
                continue;
            }

            try
            {
                File.Delete(path);
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Someone else's file on a shared folder: left alone.
            }
        }

        return removed;
    }

    /// <summary>
    /// Removes the temporary folders (<c>.NAME.tmp-HOST-PID-RANDOM</c>, of <paramref name="name"/>, or of any name when
    /// null) that killed runs left in <paramref name="directory"/>, by the rule of <see cref="RemoveStale"/>: a
    /// process of this host that is gone, or not written to for <see cref="StaleAfter"/>. Returns how many were removed.
    /// </summary>
    public static int RemoveStaleFolders(string directory, string? name = null, DateTime? now = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        int removed = 0;
        List<string> candidates;
        try
        {
            candidates = [.. Directory.EnumerateDirectories(directory, name is null ? ".*.tmp-*" : $".{name}.tmp-*")];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        foreach (string path in candidates)
        {
            string folder = Path.GetFileName(path);
            string tail = folder[(folder.LastIndexOf(".tmp-", StringComparison.Ordinal) + ".tmp-".Length)..];
            if (!IsStale(tail, path, now ?? DateTime.UtcNow))
            {
                continue;
            }

            try
            {
                Directory.Delete(path, recursive: true);
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Someone else's folder on a shared filesystem: left alone.
            }
        }

        return removed;
    }

    // tail: HOST-PID-RANDOM (this version) or PID-RANDOM (earlier versions, taken as this host's).
    private static bool IsStale(string tail, string path, DateTime now)
    {
        try
        {
            if (now - File.GetLastWriteTimeUtc(path) > StaleAfter)
            {
                return true;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        int last = tail.LastIndexOf('-');
        if (last <= 0)
        {
            return false;
        }

        string head = tail[..last];
        int dash = head.LastIndexOf('-');
        string host = dash < 0 ? Host : head[..dash];
        string pidText = dash < 0 ? head : head[(dash + 1)..];
        if (!string.Equals(host, Host, StringComparison.Ordinal)
            || !int.TryParse(pidText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture,
            out int pid))
        {
            return false;
        }

        if (!IsAlive(pid))
        {
            return true;
        }

        // A live process with that id that started after the file was last written did not write it: the id was
        // reused (a container restarted as PID 1 again, say), so the file is a killed run's.
        DateTime? started = StartTime(pid);
        DateTime written = File.GetLastWriteTimeUtc(path);
        return started is { } start && written < start - TimeSpan.FromSeconds(2);
    }

    private static DateTime? StartTime(int pid)
    {
        try
        {
            using var process = pid == Environment.ProcessId ? System.Diagnostics.Process.GetCurrentProcess()
                : System.Diagnostics.Process.GetProcessById(pid);
            return process.StartTime.ToUniversalTime();
        }
        catch (Exception ex)
            when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            return Directory.Exists($"/proc/{pid}");
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The destinations, in the order they were created.</summary>
    public IReadOnlyList<string> Destinations => _files.ConvertAll(f => f.Final);

    /// <summary>Moves every file into place, replacing what was there.</summary>
    public void Commit()
    {
        foreach (var (temp, final) in _files)
        {
            File.Move(temp, final, overwrite: true);
        }

        _committed = true;
    }

    /// <summary>Deletes the temporary files unless they were committed.</summary>
    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        foreach (var (temp, _) in _files)
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // Best effort: a temporary file that cannot be deleted is at worst a stray hidden file.
            }
            catch (UnauthorizedAccessException)
            {
                // Same as above.
            }
        }
    }
}
