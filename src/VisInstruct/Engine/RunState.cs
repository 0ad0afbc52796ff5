using System.Globalization;
using Microsoft.Data.Sqlite;

namespace VisInstruct.Engine;

/// <summary>
/// The state of one run (or one shard of a run) in one SQLite database, kept by a few stores that share its one
/// connection and write together in one transaction per batch: <see cref="Meta"/> (the run's settings),
/// <see cref="Items"/> (finished items, their outputs and failures), <see cref="Cache"/> (the response cache),
/// <see cref="Usage"/> (usage totals) and <see cref="Journal"/> (the request journal beside the database). One writer
/// process per database: opened with <c>locking_mode=EXCLUSIVE</c> (so that WAL keeps its index in process memory and
/// works on NFS and Lustre) and guarded by a lock file naming the holder. What the stores queue is written in batches
/// (<see cref="Flush"/>: a kill loses at most the last batch, which the next run redoes from the cache, the journal
/// having kept every answer).
/// </summary>
public sealed class RunState : IDisposable
{
    public const string FileName = "state.db";
    private const int SchemaVersion = 1;

    private readonly StateDatabase _database;
    private readonly RunLock? _lock;
    private readonly string? _copyDirectory;
    private RequestJournal? _journal;

    private RunState(string path, SqliteConnection connection, RunLock? runLock, bool readOnly, string? copyDirectory = null)
    {
        Path = path;
        _database = new StateDatabase(connection);
        _lock = runLock;
        _copyDirectory = copyDirectory;
        IsReadOnly = readOnly;
        Meta = new MetaStore(_database);
        Items = new ItemStore(_database);
        Cache = new ResponseCacheStore(_database);
        Usage = new UsageStore(_database);
    }

    public string Path { get; }

    public bool IsReadOnly { get; }

    /// <summary>The run's settings: recipe, fingerprint, shard, seed, configuration, completeness.</summary>
    public MetaStore Meta { get; }

    /// <summary>The finished items: statuses, outputs, failures.</summary>
    public ItemStore Items { get; }

    /// <summary>The backend answers, by the scope that asked and the request's hash.</summary>
    public ResponseCacheStore Cache { get; }

    /// <summary>What the run used, per backend and model, over all its invocations.</summary>
    public UsageStore Usage { get; }

    /// <summary>The request journal (open for writing only).</summary>
    public RequestJournal Journal => _journal ?? throw new InvalidOperationException("the run state is open for reading only");

    /// <summary>What was taken over to open this run state for writing (a stale lease), or null.</summary>
    public string? LeaseTakenOver => _lock?.TakenOver;

    /// <summary>Raised when this run's lease is taken by another process: the run must stop.</summary>
    public event Action<string>? LeaseLost
    {
        add
        {
            if (_lock is not null)
            {
                _lock.Lost += value;
            }
        }

        remove
        {
            if (_lock is not null)
            {
                _lock.Lost -= value;
            }
        }
    }

    /// <summary>Finished items and answers waiting for a batch.</summary>
    public int PendingCount => Items.PendingCount + Cache.PendingCount;

    /// <summary>Opens (creating if needed) the run state for writing; refuses when another process holds it.</summary>
    public static RunState OpenForWriting(string path, LeaseOptions? lease = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var runLock = RunLock.Acquire(path + ".lock", lease);
        SqliteConnection? connection = null;
        try
        {
            var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 5 };
            connection = new SqliteConnection(builder.ToString());
            connection.Open();
            StateDatabase.Execute(connection, "PRAGMA busy_timeout=0; PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; "
                + "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-8192; PRAGMA wal_autocheckpoint=16384;");
            try
            {
                // Take the lock now, not at the first write: a second writer must be refused before it does anything.
                StateDatabase.Execute(connection, "BEGIN IMMEDIATE; COMMIT;");
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6)
            {
                throw new RunLockedException(path, "the database is locked by another process");
            }

            var state = new RunState(path, connection, runLock, readOnly: false);
            state.CreateSchema();
            state._journal = RequestJournal.Open(path, state._database, state.Meta, state.Cache, state.Usage);
            state.Cache.LoadFilter();
            return state;
        }
        catch
        {
            connection?.Dispose();
            runLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a finished run state to read it (merging shards) without writing anything beside it: no <c>-wal</c> or
    /// <c>-shm</c> file appears in the shard's folder. A database closed cleanly is opened as immutable; one whose
    /// write-ahead log still holds transactions (its writer was killed) is read from a private copy of both files.
    /// </summary>
    public static RunState OpenForReading(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no run state at {path}", path);
        }

        string? copy = null;
        string source = path;
        if (new FileInfo(path + "-wal") is { Exists: true, Length: > 0 })
        {
            copy = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "visinstruct-read-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(copy);
            source = System.IO.Path.Combine(copy, FileName);
            File.Copy(path, source);
            File.Copy(path + "-wal", source + "-wal");
        }

        SqliteConnection? connection = null;
        try
        {
            connection = new SqliteConnection(ReadOnlyConnectionString(source, immutable: copy is null));
            connection.Open();
            StateDatabase.Execute(connection, "PRAGMA query_only=1;");
            return new RunState(path, connection, null, readOnly: true, copy);
        }
        catch
        {
            connection?.Dispose();
            DeleteCopy(copy);
            throw;
        }
    }

    /// <summary>
    /// A read-only connection string; <paramref name="immutable"/> tells SQLite the file cannot change, so it takes no
    /// locks and creates no <c>-shm</c>/<c>-wal</c> files (only right for a database whose log is empty).
    /// </summary>
    internal static string ReadOnlyConnectionString(string path, bool immutable) => new SqliteConnectionStringBuilder
    {
        DataSource = immutable ? new Uri(System.IO.Path.GetFullPath(path)).AbsoluteUri + "?immutable=1" : path,
        Pooling = false,
        Mode = SqliteOpenMode.ReadOnly,
    }.ToString();

    /// <summary>SQLite's <c>quick_check</c> of the database: true when it finds nothing damaged.</summary>
    public bool QuickCheck()
    {
        lock (_database.Gate)
        {
            using var command = _database.Command("PRAGMA quick_check;");
            return command.ExecuteScalar() as string == "ok";
        }
    }

    /// <summary>
    /// Writes everything the stores queued in one transaction, and notes how far the request journal is folded in. The
    /// queues are taken in one moment and written outside their lock, so callers go on queueing while a batch is written.
    /// </summary>
    public void Flush()
    {
        lock (_database.Gate)
        {
            List<ItemStore.PendingResult> results;
            IReadOnlyCollection<UsageTotals> usage;
            KeyValuePair<(string Scope, UInt128 Key), PendingResponse>[] cache;
            RequestJournal.Mark? mark;
            lock (_database.Queue)
            {
                // What stays behind goes on filling (for the next batch).
                results = Items.Take();
                usage = Usage.Take();
                cache = Cache.Snapshot();
                mark = _journal?.TakeMark();
            }

            if (results.Count == 0 && cache.Length == 0 && usage.Count == 0 && mark is not { Rotated: true })
            {
                return;
            }

            if (Cache.FilterIsFull)
            {
                // Before the transaction: the rebuild reads the table.
                Cache.LoadFilter();
            }

            using var transaction = _database.BeginTransaction();
            Cache.Write(transaction, cache);
            Items.Write(transaction, results);
            Usage.Write(transaction, usage);
            if (mark is { } taken)
            {
                _journal!.Write(transaction, taken);
            }

            transaction.Commit();
            if (mark is { } committed)
            {
                _journal!.Committed(committed);
            }

            Cache.Written(cache);
        }
    }

    /// <summary>
    /// Forgets every item, output and failure, and the run's settings (a fresh start of the same folder), in one
    /// transaction; keeps the response cache and what belongs to it (<see cref="MetaStore"/> says which settings).
    /// </summary>
    public void ResetItems()
    {
        lock (_database.Gate)
        {
            using var transaction = _database.BeginTransaction();
            Items.Reset(transaction);
            Meta.Reset(transaction);
            transaction.Commit();
        }
    }

    public void Dispose()
    {
        try
        {
            if (!IsReadOnly)
            {
                Flush();
            }
        }
        finally
        {
            // A flush that fails (a full disk) still closes the journal and the database and releases the lock.
            _journal?.Close();
            Cache.Close();
            _database.Dispose();
            _lock?.Dispose();
            DeleteCopy(_copyDirectory);
        }
    }

    private void CreateSchema()
    {
        _database.Execute(MetaStore.Schema + ItemStore.Schema + ResponseCacheStore.Schema + UsageStore.Schema);
        Usage.Migrate();
        string? version = Meta.Get("schema_version");
        if (version is null)
        {
            Meta.Set("schema_version", SchemaVersion.ToString(CultureInfo.InvariantCulture));
        }
        else if (version != SchemaVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException(
                $"{Path} was written by another version of VisInstruct (state schema {version}, this one reads {SchemaVersion})");
        }
    }

    private static void DeleteCopy(string? copy)
    {
        if (copy is null)
        {
            return;
        }

        try
        {
            Directory.Delete(copy, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
