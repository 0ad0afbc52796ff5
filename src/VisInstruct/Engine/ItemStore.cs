using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace VisInstruct.Engine;

/// <summary>
/// The run state's items: the status and attempts of each finished one (<c>items</c>, with its tags and counters),
/// the records it contributes to the output files (<c>outputs</c>), and why it failed or was dropped
/// (<c>failures</c>). Finished items are queued and written with the next batch.
/// </summary>
public sealed class ItemStore
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS items (key TEXT PRIMARY KEY, status INTEGER NOT NULL, attempts INTEGER NOT NULL, tags TEXT,
            counters TEXT) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS outputs (file TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL, record BLOB NOT NULL,
            PRIMARY KEY (file, key, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS failures (key TEXT PRIMARY KEY, status INTEGER NOT NULL, stage TEXT NOT NULL, kind TEXT NOT NULL,
            message TEXT NOT NULL, attempts INTEGER NOT NULL, backend TEXT, detail TEXT) WITHOUT ROWID;

        """;

    private readonly StateDatabase _database;
    private readonly Lock _queue = new();
    private List<PendingResult> _pending = [];

    internal ItemStore(StateDatabase database) => _database = database;

    /// <summary>The status of each key in [<paramref name="first"/>, <paramref name="last"/>], for the resume filter.</summary>
    public Dictionary<string, (ItemStatus Status, int Attempts)> StatusesBetween(string first, string last)
    {
        lock (_database.Gate)
        {
            using var command = _database.Command("SELECT key, status, attempts FROM items WHERE key >= $first AND key <= $last");
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
        lock (_database.Gate)
        {
            // One scan with sums: a GROUP BY would sort every row first.
            using var command = _database.Command(
                "SELECT COALESCE(SUM(status = 1), 0), COALESCE(SUM(status = 2), 0), COALESCE(SUM(status = 3), 0) FROM items");
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

    /// <summary>Queues a finished item (done, failed or dropped) for the next batch.</summary>
    public void Record(string key, ItemStatus status, int attempts, ItemResult? result, FailureRecord? failure)
    {
        lock (_queue)
        {
            _pending.Add(new PendingResult(key, status, attempts, result, failure));
        }
    }

    /// <summary>Finished items waiting for a batch.</summary>
    internal int PendingCount
    {
        get
        {
            lock (_queue)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>The output files the finished items wrote to.</summary>
    public List<string> OutputFiles()
    {
        lock (_database.Gate)
        {
            using var command = _database.Command("SELECT DISTINCT file FROM outputs ORDER BY file");
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
        using var command = _database.Command("SELECT key, record FROM outputs WHERE file = $file ORDER BY key, seq");
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
        using var command = _database.Command(
            "SELECT key, status, stage, kind, message, attempts, backend, detail FROM failures ORDER BY key");
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
    public IEnumerable<(string Key, ItemStatus Status, string? Tags, string? Counters)> Summaries()
    {
        using var command = _database.Command("SELECT key, status, tags, counters FROM items ORDER BY key");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (reader.GetString(0), (ItemStatus)reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3));
        }
    }

    /// <summary>Takes what is queued (what is queued after goes to the next batch).</summary>
    internal List<PendingResult> Take()
    {
        lock (_queue)
        {
            if (_pending.Count == 0)
            {
                return [];
            }

            var taken = _pending;
            _pending = [];
            return taken;
        }
    }

    /// <summary>Forgets every item, output and failure (a fresh start of the folder).</summary>
    internal void Reset(SqliteTransaction transaction)
    {
        using var command = _database.Command("DELETE FROM items; DELETE FROM outputs; DELETE FROM failures;", transaction);
        command.ExecuteNonQuery();
    }

    internal void Write(SqliteTransaction transaction, List<PendingResult> pending)
    {
        if (pending.Count == 0)
        {
            return;
        }

        using var item = _database.Command("""
            INSERT INTO items(key, status, attempts, tags, counters) VALUES ($key, $status, $attempts, $tags, $counters)
            ON CONFLICT(key) DO UPDATE SET status = excluded.status, attempts = excluded.attempts, tags = excluded.tags,
                counters = excluded.counters
            """, transaction);
        var itemKey = item.Parameters.Add("$key", SqliteType.Text);
        var itemStatus = item.Parameters.Add("$status", SqliteType.Integer);
        var itemAttempts = item.Parameters.Add("$attempts", SqliteType.Integer);
        var itemTags = item.Parameters.Add("$tags", SqliteType.Text);
        var itemCounters = item.Parameters.Add("$counters", SqliteType.Text);

        using var output = _database.Command(
            "INSERT OR REPLACE INTO outputs(file, key, seq, record) VALUES ($file, $key, $seq, $record)", transaction);
        var outputFile = output.Parameters.Add("$file", SqliteType.Text);
        var outputKey = output.Parameters.Add("$key", SqliteType.Text);
        var outputSeq = output.Parameters.Add("$seq", SqliteType.Integer);
        var outputRecord = output.Parameters.Add("$record", SqliteType.Blob);

        using var failure = _database.Command("""
            INSERT INTO failures(key, status, stage, kind, message, attempts, backend, detail)
            VALUES ($key, $status, $stage, $kind, $message, $attempts, $backend, $detail)
            ON CONFLICT(key) DO UPDATE SET status = excluded.status, stage = excluded.stage, kind = excluded.kind,
                message = excluded.message, attempts = excluded.attempts, backend = excluded.backend, detail = excluded.detail
            """, transaction);
        var failureKey = failure.Parameters.Add("$key", SqliteType.Text);
        var failureStatus = failure.Parameters.Add("$status", SqliteType.Integer);
        var failureStage = failure.Parameters.Add("$stage", SqliteType.Text);
        var failureKind = failure.Parameters.Add("$kind", SqliteType.Text);
        var failureMessage = failure.Parameters.Add("$message", SqliteType.Text);
        var failureAttempts = failure.Parameters.Add("$attempts", SqliteType.Integer);
        var failureBackend = failure.Parameters.Add("$backend", SqliteType.Text);
        var failureDetail = failure.Parameters.Add("$detail", SqliteType.Text);

        using var clearFailure = _database.Command("DELETE FROM failures WHERE key = $key", transaction);
        var clearKey = clearFailure.Parameters.Add("$key", SqliteType.Text);

        foreach (var result in pending)
        {
            itemKey.Value = result.Key;
            itemStatus.Value = (int)result.Status;
            itemAttempts.Value = result.Attempts;
            itemTags.Value = result.Result is { Tags.Count: > 0 } r
                ? JsonSerializer.Serialize(r.Tags, EngineJsonContext.Default.SortedDictionaryStringString) : DBNull.Value;
            itemCounters.Value = result.Result is { Counters.Count: > 0 } c
                ? JsonSerializer.Serialize(c.Counters, EngineJsonContext.Default.SortedDictionaryStringInt64) : DBNull.Value;
            item.ExecuteNonQuery();

            if (result.Result is { } done)
            {
                var sequence = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var record in done.Outputs)
                {
                    int seq = sequence.GetValueOrDefault(record.File);
                    sequence[record.File] = seq + 1;
                    outputFile.Value = record.File;
                    outputKey.Value = result.Key;
                    outputSeq.Value = seq;
                    outputRecord.Value = record.Record;
                    output.ExecuteNonQuery();
                }

                clearKey.Value = result.Key;
                clearFailure.ExecuteNonQuery();
            }

            if (result.Failure is { } f)
            {
                failureKey.Value = result.Key;
                failureStatus.Value = (int)result.Status;
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

    internal sealed record PendingResult(string Key, ItemStatus Status, int Attempts, ItemResult? Result, FailureRecord? Failure);
}
