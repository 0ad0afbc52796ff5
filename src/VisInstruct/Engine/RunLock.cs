using System.Diagnostics;
using System.Globalization;

namespace VisInstruct.Engine;

/// <summary>
/// A lock file beside the run state naming its holder (host and process id). SQLite's own locks are unreliable on
/// network filesystems, where cluster shards usually write; this one is created atomically (O_EXCL) and says who holds
/// the run. A lock left by a dead process on the same host is taken over; one from another host is reported, since
/// its process cannot be checked from here.
/// </summary>
internal sealed class RunLock : IDisposable
{
    private readonly string _path;
    private FileStream? _stream;

    private RunLock(string path, FileStream stream)
    {
        _path = path;
        _stream = stream;
    }

    public static RunLock Acquire(string path)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 256, FileOptions.WriteThrough);
                using (var writer = new StreamWriter(stream, leaveOpen: true))
                {
                    writer.Write(string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName} {Environment.ProcessId}\n"));
                }

                stream.Flush(flushToDisk: true);
                return new RunLock(path, stream);
            }
            catch (IOException) when (File.Exists(path))
            {
                string holder = ReadHolder(path);
                if (attempt == 0 && IsStaleOnThisHost(holder))
                {
                    File.Delete(path);
                    continue;
                }

                throw new RunLockedException(path, $"held by {Describe(holder)}; if that process is gone, delete {path}");
            }
        }

        throw new RunLockedException(path, "the lock could not be taken");
    }

    public void Dispose()
    {
        if (_stream is null)
        {
            return;
        }

        _stream.Dispose();
        _stream = null;
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
            // A lock file that cannot be deleted is taken over by the next run on this host.
        }
    }

    private static string ReadHolder(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static bool IsStaleOnThisHost(string holder)
    {
        string[] parts = holder.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static string Describe(string holder)
    {
        string[] parts = holder.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 ? $"process {parts[1]} on {parts[0]}" : "another process";
    }
}
