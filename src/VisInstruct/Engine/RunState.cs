using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using VisInstruct.Backends;

namespace VisInstruct.Engine;

/// <summary>
/// The state of one run (or one shard of a run) in one SQLite database: which items are finished, their outputs,
/// the failures with their causes, the response cache and the usage totals. Cached responses are stored under the
/// scope that asked (the item's key) and then their content hash, so a run appends them nearly in order instead of
/// scattering random keys over the table. One writer process per database: opened
/// with <c>locking_mode=EXCLUSIVE</c> (so that WAL keeps its index in process memory and works on NFS and Lustre)
/// and guarded by a lock file naming the holder. Finished items are written in batches (a kill loses at most the last
/// batch, which the next run redoes from the cache). Backend calls go through the request journal
/// (<see cref="IRequestJournal"/>, kept in <see cref="RequestJournalFile"/> beside the database): a record for each
/// request before it is sent, and one with its answer before the answer is used, each written to the file before the
/// caller goes on, so nothing that arrived is lost to a kill, whatever the batching. The batches fold the records into
/// the database (cache, usage) and note how far; the next open replays the rest, and counts a request that has no
/// answer as sent, with its estimated usage, its answer lost.
/// </summary>
public sealed class RunState : IResponseCache, IRequestJournal, IDisposable
{
    public const string FileName = "state.db";
    private const int SchemaVersion = 1;

    private readonly SqliteConnection _connection;
    private readonly RunLock? _lock;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<(string Scope, UInt128 Key), (byte[] Key, string Backend, string Model, byte[] Value)> _pendingCache = new();
    private List<PendingResult> _pendingResults = [];
    private Dictionary<(string, string), UsageTotals> _pendingUsage = [];
    private readonly Lock _queue = new();
    private readonly Lock _results = new();
    private readonly Dictionary<string, SqliteCommand> _hot = new(StringComparer.Ordinal);
    private SqliteCommand? _cacheLookup;
    private KeyFilter _cacheFilter = new(0);
    private string? _copyDirectory;
    private RequestJournalFile? _journal;
    private readonly Dictionary<long, byte[]> _openRequests = [];
    private long _lastSentId;

    private RunState(string path, SqliteConnection connection, RunLock? runLock, bool readOnly)
    {
        Path = path;
        _connection = connection;
        _lock = runLock;
        IsReadOnly = readOnly;
    }

    public string Path { get; }

    public bool IsReadOnly { get; }

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

    /// <summary>Opens (creating if needed) the run state for writing; refuses when another process holds it.</summary>
    public static RunState OpenForWriting(string path, LeaseOptions? lease = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var runLock = RunLock.Acquire(path + ".lock", lease);
        SqliteConnection? connection = null;
        try
        {
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 5 }.ToString());
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout=0; PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-8192; PRAGMA wal_autocheckpoint=16384;");
            try
            {
                // Take the lock now, not at the first write: a second writer must be refused before it does anything.
                Execute(connection, "BEGIN IMMEDIATE; COMMIT;");
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6)
            {
                throw new RunLockedException(path, "the database is locked by another process");
            }

            var state = new RunState(path, connection, runLock, readOnly: false);
            state.CreateSchema();
            state.ReplayJournal();
            state.LoadCacheFilter();
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
            Execute(connection, "PRAGMA query_only=1;");
            return new RunState(path, connection, null, readOnly: true) { _copyDirectory = copy };
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

    /// <summary>SQLite's <c>quick_check</c> of the database: true when it finds nothing damaged.</summary>
    public bool QuickCheck()
    {
        lock (_gate)
        {
            using var command = Command("PRAGMA quick_check;");
            return command.ExecuteScalar() as string == "ok";
        }
    }

    // ---- meta ----

    public string? GetMeta(string key)
    {
        lock (_gate)
        {
            using var command = Command("SELECT value FROM meta WHERE key = $key");
            command.Parameters.AddWithValue("$key", key);
            return command.ExecuteScalar() as string;
        }
    }

    public void SetMeta(string key, string value)
    {
        lock (_gate)
        {
            using var command = Command("INSERT INTO meta(key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$value", value);
            command.ExecuteNonQuery();
        }
    }

    // ---- items ----

    /// <summary>The status of each key in [<paramref name="first"/>, <paramref name="last"/>], for the resume filter.</summary>
    public Dictionary<string, (ItemStatus Status, int Attempts)> StatusesBetween(string first, string last)
    {
        lock (_gate)
        {
            using var command = Command("SELECT key, status, attempts FROM items WHERE key >= $first AND key <= $last");
            command.Parameters.AddWithValue("$first", first);
            command.Parameters.AddWithValue("$last", last);
            using var reader = command.ExecuteReader();
            var result = new Dictionary<string, (ItemStatus, int)>(StringComparer.Ordinal);
            while (reader.Read())
            {
                result[reader.GetString(0)] = ((ItemStatus)reader.GetInt32(1), reader.GetInt32(2));
            }

            return result;
        }
    }

    /// <summary>How many items have each status.</summary>
    public Dictionary<ItemStatus, long> CountByStatus()
    {
        lock (_gate)
        {
            // One scan with sums: a GROUP BY would sort every row first.
            using var command = Command("SELECT COALESCE(SUM(status = 1), 0), COALESCE(SUM(status = 2), 0), COALESCE(SUM(status = 3), 0) FROM items");
            using var reader = command.ExecuteReader();
            reader.Read();
            return new Dictionary<ItemStatus, long>
            {
                [ItemStatus.Done] = reader.GetInt64(0),
                [ItemStatus.Failed] = reader.GetInt64(1),
                [ItemStatus.Dropped] = reader.GetInt64(2),
            };
        }
    }

    /// <summary>Queues a finished item (done, failed or dropped) for the next flush.</summary>
    public void Record(string key, ItemStatus status, int attempts, ItemResult? result, FailureRecord? failure)
    {
        lock (_results)
        {
            _pendingResults.Add(new PendingResult(key, status, attempts, result, failure));
        }
    }

    /// <summary>Queues usage counted since the last flush.</summary>
    public void AddUsage(IEnumerable<UsageTotals> deltas)
    {
        lock (_queue)
        {
            foreach (var delta in deltas)
            {
                AddUsageLocked(delta);
            }
        }
    }

    /// <summary>Number of results waiting for a flush.</summary>
    public int PendingCount
    {
        get
        {
            lock (_results)
            {
                return _pendingResults.Count + _pendingCache.Count;
            }
        }
    }

    /// <summary>
    /// Writes everything queued in one transaction, and notes how far the request journal is folded in. The queue is
    /// taken in a moment and written outside its lock, so callers go on queueing while a batch is written.
    /// </summary>
    public void Flush()
    {
        lock (_gate)
        {
            List<PendingResult> results;
            Dictionary<(string, string), UsageTotals> usage;
            KeyValuePair<(string Scope, UInt128 Key), (byte[] Key, string Backend, string Model, byte[] Value)>[] cache;
            long folded;
            bool rotated = false;
            lock (_queue)
            {
                // What stays behind goes on filling (for the next batch): take each only if it has something.
                lock (_results)
                {
                    results = _pendingResults.Count > 0 ? _pendingResults : [];
                    if (results.Count > 0)
                    {
                        _pendingResults = [];
                    }
                }

                usage = _pendingUsage.Count > 0 ? _pendingUsage : [];
                cache = _pendingCache.IsEmpty ? [] : _pendingCache.ToArray();
                folded = _journal?.Length ?? 0;
                if (_journal is not null && folded >= RotateAt)
                {
                    // Everything in the journal up to here is in this batch: go on in a new file that starts with the
                    // requests still waiting for their answers. The batch's commit makes the new file the current one.
                    var next = RequestJournalFile.Create(JournalFile(_journal.Generation + 1), _journal.Generation + 1);
                    foreach (var open in _openRequests.OrderBy(r => r.Key))
                    {
                        next.Append(open.Value);
                    }

                    _journal.Dispose();
                    _journal = next;
                    rotated = true;
                    folded = RequestJournalFile.Start;
                }

                if (usage.Count > 0)
                {
                    _pendingUsage = [];
                }
            }

            if (results.Count == 0 && cache.Length == 0 && usage.Count == 0 && !rotated)
            {
                return;
            }

            if (_cacheFilter.IsFull)
            {
                // Past its capacity the filter answers "maybe" too often; rebuild it bigger from what is stored
                // (before the transaction: the rebuild reads the table).
                LoadCacheFilter();
            }

            using var transaction = _connection.BeginTransaction();
            WriteCache(transaction, cache);
            WriteResults(transaction, results);
            WriteUsage(transaction, usage.Values);
            if (_journal is not null)
            {
                var mark = Hot("INSERT INTO meta(key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value", transaction);
                mark.Parameters.AddWithValue("$key", "journal_folded");
                mark.Parameters.AddWithValue("$value", folded.ToString(CultureInfo.InvariantCulture));
                mark.ExecuteNonQuery();
                mark.Parameters["$key"].Value = "journal_generation";
                mark.Parameters["$value"].Value = _journal.Generation.ToString(CultureInfo.InvariantCulture);
                mark.ExecuteNonQuery();
            }

            transaction.Commit();
            if (rotated)
            {
                // The file before is not needed once this commit is: remove it aside (freeing a big file's blocks
                // can take a while, and nobody need wait for it).
                string dead = JournalFile(_journal!.Generation - 1);
                _ = Task.Run(() => TryDelete(dead));
            }

            foreach (var entry in cache)
            {
                // Only that value: a newer one for the same key waits for the next batch.
                _pendingCache.TryRemove(entry);
            }
        }
    }

    // ---- request journal ----

    public long Sending(string scope, BackendRequest request)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        var estimate = request.EstimateOrDefault();
        long id = Interlocked.Increment(ref _lastSentId);
        var record = RequestJournalFile.Encode(RequestJournalFile.Sending, w =>
        {
            w.Write(id);
            w.Write(request.Backend);
            w.Write(request.Model);
            w.Write(scope);
            WriteUsage(w, estimate);
        });
        lock (_queue)
        {
            Journal.Append(record);
            _openRequests[id] = record.ToArray();
        }

        return id;
    }

    public void Answered(long id, string scope, byte[] key, BackendRequest request, BackendResponse response)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        var record = id == 0 ? default : RequestJournalFile.Encode(RequestJournalFile.Answered, w =>
        {
            w.Write(id);
            w.Write(scope);
            w.Write(key.Length);
            w.Write(key);
            w.Write(request.Backend);
            w.Write(request.Model);
            w.Write(response.Body.Length);
            w.Write(response.Body);
            WriteUsage(w, response.Usage);
        });
        var usage = Answer(request.Backend, request.Model, response.Usage);
        lock (_queue)
        {
            // The record and what it queues go together: a batch's mark never falls between them.
            if (id != 0)
            {
                Journal.Append(record);
                _openRequests.Remove(id);
            }

            _pendingCache[(scope, Short(key))] = (key, request.Backend, request.Model, response.Body);
            AddUsageLocked(usage);
        }
    }

    public void Failed(long id, BackendRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = id == 0 ? default : RequestJournalFile.Encode(RequestJournalFile.Failed, w =>
        {
            w.Write(id);
            w.Write(request.Backend);
            w.Write(request.Model);
        });
        lock (_queue)
        {
            if (id != 0)
            {
                Journal.Append(record);
                _openRequests.Remove(id);
            }

            AddUsageLocked(new UsageTotals(request.Backend, request.Model) { Requests = 1, Errors = 1 });
        }
    }

    public void CacheHit(string backend, string model)
    {
        lock (_queue)
        {
            AddUsageLocked(new UsageTotals(backend, model) { CacheHits = 1 });
        }
    }

    /// <summary>Already done: each journal record is written to the file before the call that makes it returns.</summary>
    public Task CommitAsync() => Task.CompletedTask;

    /// <summary>What the last open found of a killed process: requests sent whose answers were never recorded.</summary>
    public IReadOnlyList<UsageTotals> LostOnOpen { get; private set; } = [];

    private RequestJournalFile Journal => _journal ?? throw new InvalidOperationException("the run state is open for reading only");

    /// <summary>The journal file of a generation: <c>state.db.requests.N</c>.</summary>
    private string JournalFile(long generation) => string.Create(CultureInfo.InvariantCulture, $"{Path}.requests.{generation}");

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next open, which removes every old journal file.
        }
    }

    /// <summary>
    /// How big the journal grows before it goes on in a new file (what is folded in is not needed again): 16 MB, or
    /// <c>VISINSTRUCT_JOURNAL_ROTATE_BYTES</c> (the kill tests set it small, to be killed around rotations too).
    /// </summary>
    private static long RotateAt { get; } =
        long.TryParse(Environment.GetEnvironmentVariable("VISINSTRUCT_JOURNAL_ROTATE_BYTES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long bytes) && bytes > 0 ? bytes : 16 << 20;

    private static UsageTotals Answer(string backend, string model, Usage usage) => new(backend, model)
    {
        Requests = 1,
        InputTokens = usage.InputTokens,
        OutputTokens = usage.OutputTokens,
        Images = usage.Images,
        ImageSeconds = usage.ImageSeconds,
    };

    private static void WriteUsage(BinaryWriter writer, Usage usage)
    {
        writer.Write(usage.InputTokens);
        writer.Write(usage.OutputTokens);
        writer.Write(usage.Images);
        writer.Write(usage.ImageSeconds);
    }

    private static Usage ReadUsage(BinaryReader reader) => new(reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt32(), reader.ReadDouble());

    /// <summary>
    /// Folds in what the journal of the last process holds beyond what its batches folded: answers into the cache and
    /// the usage, and requests without an answer counted as sent (lost). Then starts this process's journal, of the
    /// next generation, so a kill between the two cannot fold the same records twice.
    /// </summary>
    private void ReplayJournal()
    {
        lock (_gate)
        {
            long generation = long.TryParse(GetMeta("journal_generation"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long g) ? g : 0;
            long folded = long.TryParse(GetMeta("journal_folded"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long f) ? f : 0;
            var sent = new Dictionary<long, (string Backend, string Model, Usage Estimate)>();
            var settled = new HashSet<long>();
            var usage = new Dictionary<(string, string), UsageTotals>();
            var cache = new List<KeyValuePair<(string Scope, UInt128 Key), (byte[] Key, string Backend, string Model, byte[] Value)>>();
            void Add(UsageTotals delta) => usage[(delta.Backend, delta.Model)] = usage.TryGetValue((delta.Backend, delta.Model), out var before) ? before.Plus(delta) : delta;

            // The current journal, and the one a rotation had started but not committed yet (its records all count).
            var records = new[] { generation, generation + 1 }
                .Select(gen => (File: JournalFile(gen), Generation: gen))
                .Where(j => RequestJournalFile.GenerationOf(j.File) == j.Generation)
                .SelectMany(j => RequestJournalFile.Read(j.File, j.Generation).Select(r => (Offset: j.Generation == generation ? r.Offset : long.MaxValue, r.Type, r.Payload)));
            long newest = File.Exists(JournalFile(generation + 1)) ? generation + 1 : generation;

            foreach (var (offset, type, r) in records)
            {
                long id = r.ReadInt64();
                switch (type)
                {
                    case RequestJournalFile.Sending:
                    {
                        string backend = r.ReadString();
                        string model = r.ReadString();
                        r.ReadString();
                        sent[id] = (backend, model, ReadUsage(r));
                        break;
                    }

                    case RequestJournalFile.Answered:
                    {
                        string scope = r.ReadString();
                        byte[] key = r.ReadBytes(r.ReadInt32());
                        string backend = r.ReadString();
                        string model = r.ReadString();
                        byte[] value = r.ReadBytes(r.ReadInt32());
                        var answered = ReadUsage(r);
                        settled.Add(id);
                        if (offset >= folded)
                        {
                            cache.Add(new((scope, Short(key)), (key, backend, model, value)));
                            Add(Answer(backend, model, answered));
                        }

                        break;
                    }

                    case RequestJournalFile.Failed:
                    {
                        string backend = r.ReadString();
                        string model = r.ReadString();
                        settled.Add(id);
                        if (offset >= folded)
                        {
                            Add(new UsageTotals(backend, model) { Requests = 1, Errors = 1 });
                        }

                        break;
                    }
                }
            }

            var lost = sent.Where(s => !settled.Contains(s.Key)).GroupBy(s => (s.Value.Backend, s.Value.Model))
                .Select(group => new UsageTotals(group.Key.Backend, group.Key.Model)
                {
                    Requests = group.Count(),
                    Lost = group.Count(),
                    InputTokens = group.Sum(s => s.Value.Estimate.InputTokens),
                    OutputTokens = group.Sum(s => s.Value.Estimate.OutputTokens),
                    EstimatedTokens = group.Sum(s => s.Value.Estimate.InputTokens + s.Value.Estimate.OutputTokens),
                    Images = group.Sum(s => (long)s.Value.Estimate.Images),
                    ImageSeconds = group.Sum(s => s.Value.Estimate.ImageSeconds),
                })
                .OrderBy(t => t.Backend, StringComparer.Ordinal).ThenBy(t => t.Model, StringComparer.Ordinal).ToList();
            foreach (var totals in lost)
            {
                Add(totals);
            }

            using (var transaction = _connection.BeginTransaction())
            {
                WriteCache(transaction, [.. cache]);
                WriteUsage(transaction, usage.Values);
                using var meta = Command("INSERT INTO meta(key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value", transaction);
                meta.Parameters.AddWithValue("$key", "journal_generation");
                meta.Parameters.AddWithValue("$value", (newest + 1).ToString(CultureInfo.InvariantCulture));
                meta.ExecuteNonQuery();
                meta.Parameters["$key"].Value = "journal_folded";
                meta.Parameters["$value"].Value = RequestJournalFile.Start.ToString(CultureInfo.InvariantCulture);
                meta.ExecuteNonQuery();
                transaction.Commit();
            }

            foreach (string old in Directory.EnumerateFiles(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!, System.IO.Path.GetFileName(Path) + ".requests.*"))
            {
                TryDelete(old);
            }

            _journal = RequestJournalFile.Create(JournalFile(newest + 1), newest + 1);
            LostOnOpen = lost;
        }
    }

    private void AddUsageLocked(UsageTotals delta)
    {
        var key = (delta.Backend, delta.Model);
        _pendingUsage[key] = _pendingUsage.TryGetValue(key, out var before) ? before.Plus(delta) : delta;
    }

    // ---- cache ----

    public byte[]? TryGet(string scope, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(key);
        if (_pendingCache.TryGetValue((scope, Short(key)), out var pending) && pending.Key.AsSpan().SequenceEqual(key))
        {
            return pending.Value;
        }

        if (!_cacheFilter.MayContain(scope, key))
        {
            return null;
        }

        lock (_gate)
        {
            _cacheLookup ??= PrepareCacheLookup();
            _cacheLookup.Parameters[0].Value = scope;
            _cacheLookup.Parameters[1].Value = key;
            return _cacheLookup.ExecuteScalar() as byte[];
        }
    }

    public void Put(string scope, byte[] key, string backend, string model, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(key);
        _pendingCache[(scope, Short(key))] = (key, backend, model, value);
    }

    private static UInt128 Short(byte[] key) => System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(key);

    /// <summary>Fills the cache filter with the keys already stored (one pass over the cache's keys).</summary>
    private void LoadCacheFilter()
    {
        lock (_gate)
        {
            using var count = Command("SELECT COUNT(*) FROM cache");
            long keys = (long)count.ExecuteScalar()!;
            var filter = new KeyFilter(Math.Max(keys * 2, 1 << 20));
            using var command = Command("SELECT scope, hash FROM cache");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                filter.Add(reader.GetString(0), (byte[])reader.GetValue(1));
            }

            _cacheFilter = filter;
        }
    }

    /// <summary>Number of cached responses (flushed).</summary>
    public long CacheCount()
    {
        lock (_gate)
        {
            using var command = Command("SELECT COUNT(*) FROM cache");
            return (long)command.ExecuteScalar()!;
        }
    }

    // ---- usage ----

    public List<UsageTotals> ReadUsage()
    {
        lock (_gate)
        {
            string extra = HasColumn(_connection, "usage", "lost") ? "lost, estimated_tokens" : "0, 0";
            using var command = Command($"SELECT backend, model, requests, cache_hits, errors, input_tokens, output_tokens, images, image_seconds, {extra} FROM usage ORDER BY backend, model");
            using var reader = command.ExecuteReader();
            var list = new List<UsageTotals>();
            while (reader.Read())
            {
                list.Add(new UsageTotals(reader.GetString(0), reader.GetString(1))
                {
                    Requests = reader.GetInt64(2),
                    CacheHits = reader.GetInt64(3),
                    Errors = reader.GetInt64(4),
                    InputTokens = reader.GetInt64(5),
                    OutputTokens = reader.GetInt64(6),
                    Images = reader.GetInt64(7),
                    ImageSeconds = reader.GetDouble(8),
                    Lost = reader.GetInt64(9),
                    EstimatedTokens = reader.GetInt64(10),
                });
            }

            return list;
        }
    }

    // ---- reading results ----

    /// <summary>The output files the finished items wrote to.</summary>
    public List<string> OutputFiles()
    {
        lock (_gate)
        {
            using var command = Command("SELECT DISTINCT file FROM outputs ORDER BY file");
            using var reader = command.ExecuteReader();
            var files = new List<string>();
            while (reader.Read())
            {
                files.Add(reader.GetString(0));
            }

            return files;
        }
    }

    /// <summary>The records of one output file, in key order. For after a run (it does not take the writer's lock).</summary>
    public IEnumerable<(string Key, byte[] Record)> Records(string file)
    {
        using var command = Command("SELECT key, record FROM outputs WHERE file = $file ORDER BY key, seq");
        command.Parameters.AddWithValue("$file", file);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (reader.GetString(0), (byte[])reader.GetValue(1));
        }
    }

    /// <summary>Every failed or dropped item, in key order.</summary>
    public IEnumerable<FailureRecord> Failures()
    {
        using var command = Command("SELECT key, status, stage, kind, message, attempts, backend, detail FROM failures ORDER BY key");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new FailureRecord(reader.GetString(0), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7))
            {
                Dropped = (ItemStatus)reader.GetInt32(1) == ItemStatus.Dropped,
            };
        }
    }

    /// <summary>Tags and counters of every finished item, in key order (for statistics).</summary>
    public IEnumerable<(string Key, ItemStatus Status, string? Tags, string? Counters)> ItemSummaries()
    {
        using var command = Command("SELECT key, status, tags, counters FROM items ORDER BY key");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (reader.GetString(0), (ItemStatus)reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        }
    }

    /// <summary>
    /// Forgets every item, output and failure (a fresh start of the same folder); keeps the response cache, the request
    /// journal's marks and how the cached answers were asked for (the structured-output modes), which belong to the cache.
    /// </summary>
    public void ResetItems()
    {
        lock (_gate)
        {
            Execute(_connection, "DELETE FROM items; DELETE FROM outputs; DELETE FROM failures; "
                + "DELETE FROM meta WHERE key NOT IN ('schema_version', 'journal_folded', 'journal_generation', 'structured_output');");
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
            _journal?.Dispose();
            _cacheLookup?.Dispose();
            foreach (var command in _hot.Values)
            {
                command.Dispose();
            }

            _connection.Dispose();
            _lock?.Dispose();
            DeleteCopy(_copyDirectory);
        }
    }

    private void CreateSchema()
    {
        Execute(_connection, """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS items (key TEXT PRIMARY KEY, status INTEGER NOT NULL, attempts INTEGER NOT NULL, tags TEXT, counters TEXT) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS outputs (file TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL, record BLOB NOT NULL, PRIMARY KEY (file, key, seq)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS failures (key TEXT PRIMARY KEY, status INTEGER NOT NULL, stage TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL, attempts INTEGER NOT NULL, backend TEXT, detail TEXT) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS cache (scope TEXT NOT NULL, hash BLOB NOT NULL, backend TEXT NOT NULL, model TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (scope, hash)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS usage (backend TEXT NOT NULL, model TEXT NOT NULL, requests INTEGER NOT NULL, cache_hits INTEGER NOT NULL, errors INTEGER NOT NULL,
                input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, images INTEGER NOT NULL, image_seconds REAL NOT NULL,
                lost INTEGER NOT NULL DEFAULT 0, estimated_tokens INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (backend, model)) WITHOUT ROWID;
            """);
        if (!HasColumn(_connection, "usage", "lost"))
        {
            // A run state from before the request journal: the same schema with two more usage columns.
            Execute(_connection, "ALTER TABLE usage ADD COLUMN lost INTEGER NOT NULL DEFAULT 0; ALTER TABLE usage ADD COLUMN estimated_tokens INTEGER NOT NULL DEFAULT 0;");
        }

        string? version = GetMeta("schema_version");
        if (version is null)
        {
            SetMeta("schema_version", SchemaVersion.ToString(CultureInfo.InvariantCulture));
        }
        else if (version != SchemaVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException($"{Path} was written by another version of VisInstruct (state schema {version}, this one reads {SchemaVersion})");
        }
    }

    private void WriteCache(SqliteTransaction transaction, KeyValuePair<(string Scope, UInt128 Key), (byte[] Key, string Backend, string Model, byte[] Value)>[] snapshot)
    {
        if (snapshot.Length == 0)
        {
            return;
        }

        var command = Hot("INSERT OR IGNORE INTO cache(scope, hash, backend, model, value) VALUES ($scope, $hash, $backend, $model, $value)", transaction);
        var scope = command.Parameters.Add("$scope", SqliteType.Text);
        var hash = command.Parameters.Add("$hash", SqliteType.Blob);
        var backend = command.Parameters.Add("$backend", SqliteType.Text);
        var model = command.Parameters.Add("$model", SqliteType.Text);
        var value = command.Parameters.Add("$value", SqliteType.Blob);
        // Scope order: each run feeds items in key order, so these land near the end of the table's B-tree.
        Array.Sort(snapshot, (a, b) => string.CompareOrdinal(a.Key.Scope, b.Key.Scope));
        foreach (var (key, entry) in snapshot)
        {
            scope.Value = key.Scope;
            hash.Value = entry.Key;
            backend.Value = entry.Backend;
            model.Value = entry.Model;
            value.Value = entry.Value;
            command.ExecuteNonQuery();
            _cacheFilter.Add(key.Scope, entry.Key);
        }
    }

    private void WriteResults(SqliteTransaction transaction, List<PendingResult> pendingResults)
    {
        if (pendingResults.Count == 0)
        {
            return;
        }

        using var item = Command("INSERT INTO items(key, status, attempts, tags, counters) VALUES ($key, $status, $attempts, $tags, $counters) ON CONFLICT(key) DO UPDATE SET status = excluded.status, attempts = excluded.attempts, tags = excluded.tags, counters = excluded.counters", transaction);
        var itemKey = item.Parameters.Add("$key", SqliteType.Text);
        var itemStatus = item.Parameters.Add("$status", SqliteType.Integer);
        var itemAttempts = item.Parameters.Add("$attempts", SqliteType.Integer);
        var itemTags = item.Parameters.Add("$tags", SqliteType.Text);
        var itemCounters = item.Parameters.Add("$counters", SqliteType.Text);

        using var output = Command("INSERT OR REPLACE INTO outputs(file, key, seq, record) VALUES ($file, $key, $seq, $record)", transaction);
        var outputFile = output.Parameters.Add("$file", SqliteType.Text);
        var outputKey = output.Parameters.Add("$key", SqliteType.Text);
        var outputSeq = output.Parameters.Add("$seq", SqliteType.Integer);
        var outputRecord = output.Parameters.Add("$record", SqliteType.Blob);

        using var failure = Command("INSERT INTO failures(key, status, stage, kind, message, attempts, backend, detail) VALUES ($key, $status, $stage, $kind, $message, $attempts, $backend, $detail) ON CONFLICT(key) DO UPDATE SET status = excluded.status, stage = excluded.stage, kind = excluded.kind, message = excluded.message, attempts = excluded.attempts, backend = excluded.backend, detail = excluded.detail", transaction);
        var failureKey = failure.Parameters.Add("$key", SqliteType.Text);
        var failureStatus = failure.Parameters.Add("$status", SqliteType.Integer);
        var failureStage = failure.Parameters.Add("$stage", SqliteType.Text);
        var failureKind = failure.Parameters.Add("$kind", SqliteType.Text);
        var failureMessage = failure.Parameters.Add("$message", SqliteType.Text);
        var failureAttempts = failure.Parameters.Add("$attempts", SqliteType.Integer);
        var failureBackend = failure.Parameters.Add("$backend", SqliteType.Text);
        var failureDetail = failure.Parameters.Add("$detail", SqliteType.Text);

        using var clearFailure = Command("DELETE FROM failures WHERE key = $key", transaction);
        var clearKey = clearFailure.Parameters.Add("$key", SqliteType.Text);

        foreach (var pending in pendingResults)
        {
            itemKey.Value = pending.Key;
            itemStatus.Value = (int)pending.Status;
            itemAttempts.Value = pending.Attempts;
            itemTags.Value = pending.Result is { Tags.Count: > 0 } r ? JsonSerializer.Serialize(r.Tags, EngineJsonContext.Default.SortedDictionaryStringString) : DBNull.Value;
            itemCounters.Value = pending.Result is { Counters.Count: > 0 } c ? JsonSerializer.Serialize(c.Counters, EngineJsonContext.Default.SortedDictionaryStringInt64) : DBNull.Value;
            item.ExecuteNonQuery();

            if (pending.Result is { } result)
            {
                var sequence = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var record in result.Outputs)
                {
                    int seq = sequence.GetValueOrDefault(record.File);
                    sequence[record.File] = seq + 1;
                    outputFile.Value = record.File;
                    outputKey.Value = pending.Key;
                    outputSeq.Value = seq;
                    outputRecord.Value = record.Record;
                    output.ExecuteNonQuery();
                }

                clearKey.Value = pending.Key;
                clearFailure.ExecuteNonQuery();
            }

            if (pending.Failure is { } f)
            {
                failureKey.Value = pending.Key;
                failureStatus.Value = (int)pending.Status;
                failureStage.Value = f.Stage;
                failureKind.Value = f.Kind;
                failureMessage.Value = f.Message;
                failureAttempts.Value = f.Attempts;
                failureBackend.Value = (object?)f.Backend ?? DBNull.Value;
                failureDetail.Value = (object?)f.Detail ?? DBNull.Value;
                failure.ExecuteNonQuery();
            }
        }
    }

    private void WriteUsage(SqliteTransaction transaction, Dictionary<(string, string), UsageTotals>.ValueCollection pendingUsage)
    {
        if (pendingUsage.Count == 0)
        {
            return;
        }

        var command = Hot("""
            INSERT INTO usage(backend, model, requests, cache_hits, errors, input_tokens, output_tokens, images, image_seconds, lost, estimated_tokens)
            VALUES ($b, $m, $r, $h, $e, $i, $o, $n, $s, $l, $x)
            ON CONFLICT(backend, model) DO UPDATE SET requests = requests + excluded.requests, cache_hits = cache_hits + excluded.cache_hits,
                errors = errors + excluded.errors, input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
                images = images + excluded.images, image_seconds = image_seconds + excluded.image_seconds,
                lost = lost + excluded.lost, estimated_tokens = estimated_tokens + excluded.estimated_tokens
            """, transaction);
        foreach (var totals in pendingUsage)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$b", totals.Backend);
            command.Parameters.AddWithValue("$m", totals.Model);
            command.Parameters.AddWithValue("$r", totals.Requests);
            command.Parameters.AddWithValue("$h", totals.CacheHits);
            command.Parameters.AddWithValue("$e", totals.Errors);
            command.Parameters.AddWithValue("$i", totals.InputTokens);
            command.Parameters.AddWithValue("$o", totals.OutputTokens);
            command.Parameters.AddWithValue("$n", totals.Images);
            command.Parameters.AddWithValue("$s", totals.ImageSeconds);
            command.Parameters.AddWithValue("$l", totals.Lost);
            command.Parameters.AddWithValue("$x", totals.EstimatedTokens);
            command.ExecuteNonQuery();
        }
    }

    private SqliteCommand PrepareCacheLookup()
    {
        var command = Command("SELECT value FROM cache WHERE scope = $scope AND hash = $hash");
        command.Parameters.Add("$scope", SqliteType.Text);
        command.Parameters.Add("$hash", SqliteType.Blob);
        command.Prepare();
        return command;
    }

    /// <summary>A statement of every commit, prepared once for the life of the connection.</summary>
    private SqliteCommand Hot(string sql, SqliteTransaction transaction)
    {
        if (!_hot.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _hot[sql] = command;
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static bool HasColumn(SqliteConnection connection, string table, string column)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = $column";
        command.Parameters.AddWithValue("$column", column);
        return (long)command.ExecuteScalar()! > 0;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed record PendingResult(string Key, ItemStatus Status, int Attempts, ItemResult? Result, FailureRecord? Failure);
}

/// <summary>Why an item failed or was dropped: the stage, a short kind, the message, attempts, backend, and raw material for audit.</summary>
public sealed record FailureRecord(string Key, string Stage, string Kind, string Message, int Attempts, string? Backend, string? Detail)
{
    /// <summary>True when a stage left the item out on purpose rather than failing.</summary>
    public bool Dropped { get; init; }
}

/// <summary>Another process holds the run.</summary>
public sealed class RunLockedException(string path, string detail)
    : Exception($"another visinstruct process is using this run ({path}: {detail}). One run state has one writer: wait for that process, or give this one another --out")
{
    public string StatePath { get; } = path;
}
