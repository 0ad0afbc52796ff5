namespace VisInstruct.Engine;

/// <summary>
/// The lease on a run state: a file beside it naming the holder (host, process id, the process's start time, a nonce
/// and the lease's timeout), put in place whole and atomically (written to a draft, then hard-linked to its name, which
/// fails if one is there), whose modification time is the heartbeat the live run
/// renews. SQLite's own locks are unreliable on the network filesystems where cluster shards write, and a lock left by
/// a killed run must not block its requeued rerun for ever, so a lease is taken over (with a message) when its
/// heartbeat is older than its timeout, or, on this host, when its process is gone or its id now belongs to another
/// process (a container restarted as PID 1). A live lease on another host is refused, saying how old its heartbeat is;
/// <see cref="LeaseOptions.TakeOver"/> takes it anyway. A run that finds its lease taken from it stops.
/// </summary>
internal sealed class RunLock : IDisposable
{
    private const string DraftMark = ".draft-";

    private readonly string _path;
    private readonly string _nonce;
    private readonly LeaseOptions _options;
    private readonly Lock _gate = new();
    private FileStream? _stream;
    private ITimer? _timer;
    private Action<string>? _lost;
    private string? _lostBecause;
    private bool _namedNobody;

    private RunLock(string path, FileStream stream, string nonce, LeaseOptions options)
    {
        _path = path;
        _stream = stream;
        _nonce = nonce;
        _options = options;
    }

    /// <summary>What was taken over to get the lease (null when it was free), for the run's log.</summary>
    public string? TakenOver { get; private set; }

    /// <summary>
    /// Raised (once) when the lease turns out to be held by someone else: the run must stop writing. A handler added
    /// after that is called at once (the lease can be lost before the run has subscribed: while it opens the state).
    /// </summary>
    public event Action<string>? Lost
    {
        add
        {
            string? already;
            lock (_gate)
            {
                already = _lostBecause;
                if (already is null)
                {
                    _lost += value;
                }
            }

            if (already is not null)
            {
                value?.Invoke(already);
            }
        }

        remove
        {
            lock (_gate)
            {
                _lost -= value;
            }
        }
    }

    public static RunLock Acquire(string path, LeaseOptions? options = null)
    {
        options ??= new LeaseOptions();
        string? takenOver = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            string nonce = Guid.NewGuid().ToString("N");
            var stream = Publish(path, nonce, options);
            if (stream is null)
            {
                var holder = ReadHolder(path);
                var now = options.Time.GetUtcNow();
                string? reason = options.TakeOver ? "--take-over was given" : holder.StaleBecause(now)
                    ?? (holder.NamesNobody ? "the lease file names no holder (a run was killed while it took the lease)" : null);
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

            RemoveLeftDrafts(path, options);
            var runLock = new RunLock(path, stream, nonce, options) { TakenOver = takenOver };
            runLock._timer = options.Time.CreateTimer(_ => runLock.Beat(), null, options.Interval, options.Interval);
            return runLock;
        }

        throw new RunLockedException(path, "the lease could not be taken: another run took it at the same moment");
    }

    /// <summary>
    /// Puts this run's lease file in place whole, or returns null when one is there: the holder is written to a draft
    /// beside it and moved to the lease's name without overwriting (a hard link, so two runs cannot both succeed), so a
    /// run killed while taking the lease leaves a stray draft, never a lease file that names nobody.
    /// </summary>
    private static FileStream? Publish(string path, string nonce, LeaseOptions options)
    {
        string draft = path + DraftMark + nonce;
        var stream = new FileStream(draft, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 512,
            FileOptions.WriteThrough);
        try
        {
            using (var writer = new StreamWriter(stream, leaveOpen: true))
            {
                writer.Write(LeaseHolder.Write(nonce, options.Timeout));
            }

            stream.Flush(flushToDisk: true);
            File.Move(draft, path, overwrite: false);
            return stream;
        }
        catch (IOException) when (File.Exists(path))
        {
            stream.Dispose();
            TryDelete(draft);
            return null;
        }
        catch
        {
            stream.Dispose();
            TryDelete(draft);
            throw;
        }
    }

    /// <summary>The holder of the lease file there; one that names nobody is read again for a second (an earlier version
    /// wrote the file after creating it, so a live holder could be caught between the two).</summary>
    private static LeaseHolder ReadHolder(string path)
    {
        var holder = LeaseHolder.Read(path);
        for (int retry = 0; retry < 4 && holder.NamesNobody && File.Exists(path); retry++)
        {
            Thread.Sleep(250);
            holder = LeaseHolder.Read(path);
        }

        return holder;
    }

    /// <summary>Deletes the drafts of runs killed while they took the lease (older than its timeout: not being moved).</summary>
    private static void RemoveLeftDrafts(string path, LeaseOptions options)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is null)
        {
            return;
        }

        var before = options.Time.GetUtcNow().UtcDateTime - options.Timeout;
        foreach (string draft in Directory.EnumerateFiles(folder, Path.GetFileName(path) + DraftMark + "*"))
        {
            if (File.GetLastWriteTimeUtc(draft) < before)
            {
                TryDelete(draft);
            }
        }
    }

    /// <summary>Renews the lease (the file's modification time), after checking it is still this run's.</summary>
    internal void Beat()
    {
        string? lost = null;
        Action<string>? handlers = null;
        lock (_gate)
        {
            if (_stream is null || _lostBecause is not null)
            {
                return;
            }

            try
            {
                var holder = LeaseHolder.Read(_path);
                if (holder.Nonce is null && !_namedNobody)
                {
                    // Gone, or caught while another holder writes it: said at the next beat if it still names nobody.
                    _namedNobody = true;
                }
                else if (holder.Nonce != _nonce)
                {
                    lost = holder.Nonce is null ? $"its lease file {_path} was removed"
                        : $"its lease was taken over by {holder.Describe()}";
                }
                else
                {
                    _namedNobody = false;
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
                _lostBecause = lost;
                handlers = _lost;
                _lost = null;
            }
        }

        handlers?.Invoke(lost!);
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
