using Microsoft.Data.Sqlite;

namespace VisInstruct.Engine;

/// <summary>
/// The one SQLite connection a run state's stores share, and the two locks they share with it: <see cref="Gate"/>,
/// held by whoever uses the connection (one statement or transaction at a time), and <see cref="Queue"/>, held by
/// whoever queues something for the next batch, so that a batch takes everything queued in one moment (a request
/// journal record and the cache entry and usage it queues never fall in different batches).
/// </summary>
internal sealed class StateDatabase(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _hot = new(StringComparer.Ordinal);

    /// <summary>Held while the connection is used.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Held while something is queued for the next batch, and while a batch takes what is queued.</summary>
    public Lock Queue { get; } = new();

    public SqliteConnection Connection => connection;

    public SqliteTransaction BeginTransaction() => connection.BeginTransaction();

    /// <summary>A new command (the caller disposes it).</summary>
    public SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>A statement of every batch, prepared once for the life of the connection (its parameters cleared).</summary>
    public SqliteCommand Hot(string sql, SqliteTransaction transaction)
    {
        if (!_hot.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _hot[sql] = command;
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    public void Execute(string sql) => Execute(connection, sql);

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public bool HasColumn(string table, string column)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = $column";
        command.Parameters.AddWithValue("$column", column);
        return (long)command.ExecuteScalar()! > 0;
    }

    public void Dispose()
    {
        foreach (var command in _hot.Values)
        {
            command.Dispose();
        }

        connection.Dispose();
    }
}
