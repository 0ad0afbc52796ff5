using Microsoft.Data.Sqlite;

namespace VisInstruct.Engine;

/// <summary>
/// The run state's usage totals (<c>usage</c>) per backend and model, summed over every invocation of the run, so
/// budgets cap the whole run: requests, cache hits, errors, tokens, images, and the requests whose answers were lost
/// to a killed process. What this process counts is queued and added with the next batch.
/// </summary>
public sealed class UsageStore
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS usage (backend TEXT NOT NULL, model TEXT NOT NULL, requests INTEGER NOT NULL,
        """
        + """
         cache_hits INTEGER NOT NULL,
            errors INTEGER NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, images INTEGER NOT NULL,
        """
        + """
         image_seconds REAL NOT NULL,
            lost INTEGER NOT NULL DEFAULT 0, estimated_tokens INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (backend, model)) WITHOUT ROWID;

        """;

    private readonly StateDatabase _database;
    private Dictionary<(string, string), UsageTotals> _pending = [];

    internal UsageStore(StateDatabase database) => _database = database;

    /// <summary>The totals written so far, per backend and model, in that order.</summary>
    public List<UsageTotals> Read()
    {
        lock (_database.Gate)
        {
            string extra = _database.HasColumn("usage", "lost") ? "lost, estimated_tokens" : "0, 0";
            using var command =
                _database.Command("SELECT backend, model, requests, cache_hits, errors, input_tokens, output_tokens, images, "
                + $"image_seconds, {extra} FROM usage ORDER BY backend, model");
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

    /// <summary>A run state from before the request journal has the same table without its last two columns: adds them.</summary>
    internal void Migrate()
    {
        if (!_database.HasColumn("usage", "lost"))
        {
            _database.Execute("ALTER TABLE usage ADD COLUMN lost INTEGER NOT NULL DEFAULT 0; "
                + "ALTER TABLE usage ADD COLUMN estimated_tokens INTEGER NOT NULL DEFAULT 0;");
        }
    }

    /// <summary>Queues <paramref name="delta"/> for the next batch. The caller holds <see cref="StateDatabase.Queue"/>.</summary>
    internal void Add(UsageTotals delta) => Sum(_pending, delta);

    /// <summary>Adds <paramref name="delta"/> to the totals of its backend and model in <paramref name="totals"/>.</summary>
    internal static void Sum(Dictionary<(string, string), UsageTotals> totals, UsageTotals delta)
    {
        var key = (delta.Backend, delta.Model);
        totals[key] = totals.TryGetValue(key, out var before) ? before.Plus(delta) : delta;
    }

    /// <summary>
    /// Takes what is queued (what is queued after goes to the next batch). The caller holds <see cref="StateDatabase.Queue"/>.
    /// </summary>
    internal IReadOnlyCollection<UsageTotals> Take()
    {
        if (_pending.Count == 0)
        {
            return [];
        }

        var taken = _pending;
        _pending = [];
        return taken.Values;
    }

    /// <summary>Adds <paramref name="deltas"/> to the stored totals inside <paramref name="transaction"/>.</summary>
    internal void Write(SqliteTransaction transaction, IReadOnlyCollection<UsageTotals> deltas)
    {
        if (deltas.Count == 0)
        {
            return;
        }

        var command = _database.Hot("""
            INSERT INTO usage(backend, model, requests, cache_hits, errors, input_tokens, output_tokens, images, image_seconds, lost,
                estimated_tokens)
            VALUES ($b, $m, $r, $h, $e, $i, $o, $n, $s, $l, $x)
            ON CONFLICT(backend, model) DO UPDATE SET requests = requests + excluded.requests,
            """
            + """
             cache_hits = cache_hits + excluded.cache_hits,
                errors = errors + excluded.errors, input_tokens = input_tokens + excluded.input_tokens,
                output_tokens = output_tokens + excluded.output_tokens, images = images + excluded.images,
            """
            + """
             image_seconds = image_seconds + excluded.image_seconds,
                lost = lost + excluded.lost, estimated_tokens = estimated_tokens + excluded.estimated_tokens
            """, transaction);
        foreach (var totals in deltas)
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
}
