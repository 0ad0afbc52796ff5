using Microsoft.Data.Sqlite;

namespace VisInstruct.Engine;

/// <summary>
/// The run state's settings (<c>meta</c>): the recipe, fingerprint, shard and seed of the run, the resolved
/// configuration, whether the dataset is complete, the schema version, and how far the request journal is folded in.
/// </summary>
public sealed class MetaStore
{
    internal const string Schema = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n";

    private const string Upsert =
        "INSERT INTO meta(key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";

    private readonly StateDatabase _database;

    internal MetaStore(StateDatabase database) => _database = database;

    public string? Get(string key)
    {
        lock (_database.Gate)
        {
            using var command = _database.Command("SELECT value FROM meta WHERE key = $key");
            command.Parameters.AddWithValue("$key", key);
            return command.ExecuteScalar() as string;
        }
    }

    public void Set(string key, string value)
    {
        lock (_database.Gate)
        {
            using var command = _database.Command(Upsert);
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$value", value);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Sets <paramref name="key"/> inside <paramref name="transaction"/> (the caller holds the gate).</summary>
    internal void Set(string key, string value, SqliteTransaction transaction)
    {
        var command = _database.Hot(Upsert, transaction);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Forgets the run's settings (a fresh start of the folder), keeping the schema version, the request journal's marks
    /// and how the cached answers were asked for (the structured-output modes), which belong to the cache.
    /// </summary>
    internal void Reset(SqliteTransaction transaction)
    {
        using var command = _database.Command(
            "DELETE FROM meta WHERE key NOT IN ('schema_version', 'journal_folded', 'journal_generation', 'structured_output');",
            transaction);
        command.ExecuteNonQuery();
    }
}
