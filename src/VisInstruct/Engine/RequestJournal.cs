using System.Globalization;
using Microsoft.Data.Sqlite;
using VisInstruct.Backends;

namespace VisInstruct.Engine;

/// <summary>
/// The run state's journal of backend requests (<see cref="IRequestJournal"/>, kept in <see cref="RequestJournalFile"/>
/// beside the database): a record for each request before it is sent, and one with its answer before the answer is
/// used, each written to the file before the caller goes on, so nothing that arrived is lost to a kill, whatever the
/// batching. An answer queues its cache entry and usage for the next batch; the batches fold the records into the
/// database and note how far (<c>journal_folded</c>, <c>journal_generation</c>); the next open replays the rest, and
/// counts a request that has no answer as sent, with its estimated usage, its answer lost.
/// </summary>
public sealed class RequestJournal : IRequestJournal
{
    private readonly string _statePath;
    private readonly StateDatabase _database;
    private readonly MetaStore _meta;
    private readonly ResponseCacheStore _cache;
    private readonly UsageStore _usage;
    private readonly Dictionary<long, byte[]> _openRequests = [];
    private RequestJournalFile _file;
    private long _lastSentId;

    private RequestJournal(string statePath, StateDatabase database, MetaStore meta, ResponseCacheStore cache, UsageStore usage,
        RequestJournalFile file, IReadOnlyList<UsageTotals> lost)
    {
        _statePath = statePath;
        _database = database;
        _meta = meta;
        _cache = cache;
        _usage = usage;
        _file = file;
        LostOnOpen = lost;
    }

    /// <summary>What the open found of a killed process: requests sent whose answers were never recorded.</summary>
    public IReadOnlyList<UsageTotals> LostOnOpen { get; }

    /// <summary>
    /// How big the journal grows before it goes on in a new file (what is folded in is not needed again): 16 MB, or
    /// <c>VISINSTRUCT_JOURNAL_ROTATE_BYTES</c> (the kill tests set it small, to be killed around rotations too).
    /// </summary>
    private static long RotateAt { get; } =
        ParseLong(Environment.GetEnvironmentVariable("VISINSTRUCT_JOURNAL_ROTATE_BYTES")) is long bytes and > 0 ? bytes : 16 << 20;

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
        lock (_database.Queue)
        {
            _file.Append(record);
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
        lock (_database.Queue)
        {
            // The record and what it queues go together: a batch's mark never falls between them.
            if (id != 0)
            {
                _file.Append(record);
                _openRequests.Remove(id);
            }

            _cache.Put(scope, key, request.Backend, request.Model, response.Body);
            _usage.Add(usage);
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
        lock (_database.Queue)
        {
            if (id != 0)
            {
                _file.Append(record);
                _openRequests.Remove(id);
            }

            _usage.Add(new UsageTotals(request.Backend, request.Model) { Requests = 1, Errors = 1 });
        }
    }

    public void CacheHit(string backend, string model)
    {
        lock (_database.Queue)
        {
            _usage.Add(new UsageTotals(backend, model) { CacheHits = 1 });
        }
    }

    /// <summary>Already done: each journal record is written to the file before the call that makes it returns.</summary>
    public Task CommitAsync() => Task.CompletedTask;

    /// <summary>Closes the journal file (the run state is closing).</summary>
    internal void Close() => _file.Dispose();

    /// <summary>
    /// Folds in what the journal of the last process holds beyond what its batches folded: answers into the cache and
    /// the usage, and requests without an answer counted as sent (lost). Then starts this process's journal, of the
    /// next generation, so a kill between the two cannot fold the same records twice.
    /// </summary>
    internal static RequestJournal Open(string statePath, StateDatabase database, MetaStore meta, ResponseCacheStore cache,
        UsageStore usage)
    {
        lock (database.Gate)
        {
            long generation = ParseLong(meta.Get("journal_generation")) ?? 0;
            long folded = ParseLong(meta.Get("journal_folded")) ?? 0;
            var replay = new Replay(folded);

            // The current journal, and the one a rotation had started but not committed yet (its records all count).
            var records = new[] { generation, generation + 1 }
                .Select(gen => (File: FileOf(statePath, gen), Generation: gen))
                .Where(j => RequestJournalFile.GenerationOf(j.File) == j.Generation)
                .SelectMany(j => RequestJournalFile.Read(j.File, j.Generation)
                    .Select(r => (Offset: j.Generation == generation ? r.Offset : long.MaxValue, r.Type, r.Payload)));
            long newest = File.Exists(FileOf(statePath, generation + 1)) ? generation + 1 : generation;
            foreach (var (offset, type, payload) in records)
            {
                replay.Add(offset, type, payload);
            }

            var lost = replay.Lost();
            using (var transaction = database.BeginTransaction())
            {
                cache.Write(transaction, [.. replay.Cache]);
                usage.Write(transaction, replay.Usage.Values);
                meta.Set("journal_generation", (newest + 1).ToString(CultureInfo.InvariantCulture), transaction);
                meta.Set("journal_folded", RequestJournalFile.Start.ToString(CultureInfo.InvariantCulture), transaction);
                transaction.Commit();
            }

            string directory = Path.GetDirectoryName(Path.GetFullPath(statePath))!;
            foreach (string old in Directory.EnumerateFiles(directory, Path.GetFileName(statePath) + ".requests.*"))
            {
                TryDelete(old);
            }

            var file = RequestJournalFile.Create(FileOf(statePath, newest + 1), newest + 1);
            return new RequestJournal(statePath, database, meta, cache, usage, file, lost);
        }
    }

    /// <summary>
    /// How far a batch folds the journal in (everything up to here), taken with the batch under
    /// <see cref="StateDatabase.Queue"/>. Past <see cref="RotateAt"/> the journal goes on in a new file that starts
    /// with the requests still waiting for their answers; the batch's commit makes it the current one.
    /// </summary>
    internal Mark TakeMark()
    {
        long folded = _file.Length;
        if (folded < RotateAt)
        {
            return new Mark(folded, _file.Generation, Rotated: false);
        }

        var next = RequestJournalFile.Create(FileOf(_statePath, _file.Generation + 1), _file.Generation + 1);
        foreach (var open in _openRequests.OrderBy(r => r.Key))
        {
            next.Append(open.Value);
        }

        _file.Dispose();
        _file = next;
        return new Mark(RequestJournalFile.Start, next.Generation, Rotated: true);
    }

    /// <summary>Notes the batch's mark inside its transaction.</summary>
    internal void Write(SqliteTransaction transaction, Mark mark)
    {
        _meta.Set("journal_folded", mark.Folded.ToString(CultureInfo.InvariantCulture), transaction);
        _meta.Set("journal_generation", mark.Generation.ToString(CultureInfo.InvariantCulture), transaction);
    }

    /// <summary>
    /// The batch is committed: after a rotation the file before is not needed, and is removed aside (freeing a big
    /// file's blocks can take a while, and nobody need wait for it).
    /// </summary>
    internal void Committed(Mark mark)
    {
        if (mark.Rotated)
        {
            string dead = FileOf(_statePath, mark.Generation - 1);
            _ = Task.Run(() => TryDelete(dead));
        }
    }

    /// <summary>The journal file of a generation: <c>state.db.requests.N</c>.</summary>
    private static string FileOf(string statePath, long generation) =>
        string.Create(CultureInfo.InvariantCulture, $"{statePath}.requests.{generation}");

    private static long? ParseLong(string? text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : null;

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

    private static Usage ReadUsage(BinaryReader reader) =>
        new(reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt32(), reader.ReadDouble());

    /// <summary>How far one batch folded the journal in: the offset in the file of the generation, and whether it rotated.</summary>
    internal readonly record struct Mark(long Folded, long Generation, bool Rotated);

    /// <summary>What the records of a journal beyond the folded offset add up to.</summary>
    private sealed class Replay(long folded)
    {
        private readonly Dictionary<long, (string Backend, string Model, Usage Estimate)> _sent = [];
        private readonly HashSet<long> _settled = [];

        public Dictionary<(string, string), UsageTotals> Usage { get; } = [];

        public List<KeyValuePair<(string Scope, UInt128 Key), PendingResponse>> Cache { get; } = [];

        public void Add(long offset, byte type, BinaryReader r)
        {
            long id = r.ReadInt64();
            switch (type)
            {
                case RequestJournalFile.Sending:
                {
                    string backend = r.ReadString();
                    string model = r.ReadString();
                    r.ReadString();
                    _sent[id] = (backend, model, ReadUsage(r));
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
                    _settled.Add(id);
                    if (offset >= folded)
                    {
                        Cache.Add(new((scope, ResponseCacheStore.Short(key)), new PendingResponse(key, backend, model, value)));
                        UsageStore.Sum(Usage, Answer(backend, model, answered));
                    }

                    break;
                }

                case RequestJournalFile.Failed:
                {
                    string backend = r.ReadString();
                    string model = r.ReadString();
                    _settled.Add(id);
                    if (offset >= folded)
                    {
                        UsageStore.Sum(Usage, new UsageTotals(backend, model) { Requests = 1, Errors = 1 });
                    }

                    break;
                }
            }
        }

        /// <summary>The requests sent without an answer, per backend and model, counted (into the usage too) as sent and lost.</summary>
        public List<UsageTotals> Lost()
        {
            var lost = _sent.Where(s => !_settled.Contains(s.Key)).GroupBy(s => (s.Value.Backend, s.Value.Model))
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
                UsageStore.Sum(Usage, totals);
            }

            return lost;
        }
    }
}
