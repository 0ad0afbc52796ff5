using System.Buffers.Binary;
using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using VisInstruct.Backends;

namespace VisInstruct.Engine;

/// <summary>
/// The run state's response cache (<c>cache</c>): backend answers stored under the scope that asked (the item's key)
/// and then their content hash, so a run appends them nearly in order instead of scattering random keys over the
/// table. New answers wait in memory for the next batch (and are answered from there meanwhile); a Bloom filter of
/// the stored keys answers most lookups of a fresh run without touching the database.
/// </summary>
public sealed class ResponseCacheStore : IResponseCache
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS cache (scope TEXT NOT NULL, hash BLOB NOT NULL, backend TEXT NOT NULL, model TEXT NOT NULL,
            value BLOB NOT NULL, PRIMARY KEY (scope, hash)) WITHOUT ROWID;

        """;

    private readonly StateDatabase _database;
    private readonly ConcurrentDictionary<(string Scope, UInt128 Key), PendingResponse> _pending = new();
    private SqliteCommand? _lookup;
    private KeyFilter _filter = new(0);

    internal ResponseCacheStore(StateDatabase database) => _database = database;

    /// <summary>Answers waiting for a batch.</summary>
    internal int PendingCount => _pending.Count;

    public byte[]? TryGet(string scope, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(key);
        if (_pending.TryGetValue((scope, Short(key)), out var pending) && pending.Key.AsSpan().SequenceEqual(key))
        {
            return pending.Value;
        }

        if (!_filter.MayContain(scope, key))
        {
            return null;
        }

        lock (_database.Gate)
        {
            _lookup ??= PrepareLookup();
            _lookup.Parameters[0].Value = scope;
            _lookup.Parameters[1].Value = key;
            return _lookup.ExecuteScalar() as byte[];
        }
    }

    /// <summary>Queues an answer for the next batch.</summary>
    public void Put(string scope, byte[] key, string backend, string model, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(key);
        _pending[(scope, Short(key))] = new PendingResponse(key, backend, model, value);
    }

    /// <summary>Number of cached responses (written).</summary>
    public long Count()
    {
        lock (_database.Gate)
        {
            using var command = _database.Command("SELECT COUNT(*) FROM cache");
            return (long)command.ExecuteScalar()!;
        }
    }

    /// <summary>The first 16 bytes of a request hash: the in-memory key of a pending answer.</summary>
    internal static UInt128 Short(byte[] key) => BinaryPrimitives.ReadUInt128LittleEndian(key);

    /// <summary>Past its capacity the filter answers "maybe" too often: then it is rebuilt bigger (<see cref="LoadFilter"/>).</summary>
    internal bool FilterIsFull => _filter.IsFull;

    /// <summary>What is queued now; an answer stays queued (and answerable) until <see cref="Written"/> is told it is stored.</summary>
    internal KeyValuePair<(string Scope, UInt128 Key), PendingResponse>[] Snapshot() => _pending.IsEmpty ? [] : _pending.ToArray();

    /// <summary>Forgets the answers of a committed batch (only those values: a newer one for the same key waits for the next).</summary>
    internal void Written(KeyValuePair<(string Scope, UInt128 Key), PendingResponse>[] snapshot)
    {
        foreach (var entry in snapshot)
        {
            _pending.TryRemove(entry);
        }
    }

    /// <summary>Fills the filter with the keys already stored (one pass over the cache's keys).</summary>
    internal void LoadFilter()
    {
        lock (_database.Gate)
        {
            using var count = _database.Command("SELECT COUNT(*) FROM cache");
            long keys = (long)count.ExecuteScalar()!;
            var filter = new KeyFilter(Math.Max(keys * 2, 1 << 20));
            using var command = _database.Command("SELECT scope, hash FROM cache");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                filter.Add(reader.GetString(0), (byte[])reader.GetValue(1));
            }

            _filter = filter;
        }
    }

    internal void Write(SqliteTransaction transaction, KeyValuePair<(string Scope, UInt128 Key), PendingResponse>[] snapshot)
    {
        if (snapshot.Length == 0)
        {
            return;
        }

        var command = _database.Hot(
            "INSERT OR IGNORE INTO cache(scope, hash, backend, model, value) VALUES ($scope, $hash, $backend, $model, $value)",
            transaction);
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
            _filter.Add(key.Scope, entry.Key);
        }
    }

    /// <summary>Releases the prepared lookup (the run state is closing).</summary>
    internal void Close() => _lookup?.Dispose();

    private SqliteCommand PrepareLookup()
    {
        var command = _database.Command("SELECT value FROM cache WHERE scope = $scope AND hash = $hash");
        command.Parameters.Add("$scope", SqliteType.Text);
        command.Parameters.Add("$hash", SqliteType.Blob);
        command.Prepare();
        return command;
    }
}

/// <summary>An answer waiting for a batch: its full request hash, who answered, and the body.</summary>
internal readonly record struct PendingResponse(byte[] Key, string Backend, string Model, byte[] Value);
