using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Portal.Core.Logs;

namespace Portal.Logs.Embedded;

/// <summary>
/// The write side of the embedded store: appends (one transaction, prepared statements reused) and pruning (by age,
/// then oldest first by size, then the space given back to the file system). One writer at a time per store.
/// </summary>
internal sealed class EmbeddedLogWriter(EmbeddedLogDatabase database)
{
    /// <summary>Bits of the id below the millisecond: a per-process sequence, so 2^20 lines can share a millisecond.</summary>
    public const int SequenceBits = 20;

    private const long SequenceMask = (1L << SequenceBits) - 1;
    private const long MaxMillis = (1L << (63 - SequenceBits)) - 1;

    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static long s_sequence;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<(string Environment, string Name)> _knownFields = [];
    private readonly HashSet<string> _knownEnvironments = new(StringComparer.Ordinal);

    public async Task AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        foreach (var record in records)
        {
            if (record.Timestamp.ToUnixTimeMilliseconds() is < 0 or > MaxMillis)
            {
                throw new ArgumentOutOfRangeException(nameof(records), record.Timestamp, "A log record's time must be after 1970.");
            }
        }

        // The CPU work (flattening, tokens, JSON) before the write lock is taken, on every core for a large batch.
        var rows = new (long Millis, string Environment, string Json, IndexedDocument Index)[records.Count];
        Parallel.For(0, records.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = records.Count < 64 ? 1 : -1 }, i =>
        {
            var record = records[i];
            rows[i] = (record.Timestamp.ToUnixTimeMilliseconds(), record.Environment, record.Document.ToJsonString(CompactJson), LogDocumentIndexer.Index(record.Environment, record.Document));
        });

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            try
            {
                Append(connection, rows);
            }
            catch (SqliteException ex)
            {
                throw database.Map(ex);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<LogPruneResult> PruneAsync(DateTimeOffset olderThan, long maxBytes, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            try
            {
                return Prune(connection, olderThan, maxBytes, cancellationToken);
            }
            catch (SqliteException ex)
            {
                throw database.Map(ex);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The id for a line at <paramref name="millis"/> with sequence <paramref name="sequence"/>.</summary>
    public static long Id(long millis, long sequence) => (millis << SequenceBits) | (sequence & SequenceMask);

    private void Append(SqliteConnection connection, (long Millis, string Environment, string Json, IndexedDocument Index)[] rows)
    {
        using var transaction = connection.BeginTransaction();
        using var line = Command(connection, transaction, "INSERT OR IGNORE INTO log_lines(id, env, doc) VALUES($id, $env, $doc)", "$id", "$env", "$doc");
        using var fts = Command(connection, transaction, "INSERT INTO log_fts(rowid, text, terms) VALUES($id, $text, $terms)", "$id", "$text", "$terms");
        using var field = Command(connection, transaction, "INSERT OR IGNORE INTO log_fields(env, name, type) VALUES($env, $name, $type)", "$env", "$name", "$type");
        using var environment = Command(connection, transaction, "INSERT OR IGNORE INTO log_envs(env) VALUES($env)", "$env");
        var newFields = new HashSet<(string, string)>();
        var newEnvironments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (millis, env, json, index) in rows)
        {
            long id;
            do
            {
                // Another line (this process's after the sequence wrapped, or another process's) may hold the id.
                id = Id(millis, Interlocked.Increment(ref s_sequence));
                line.Parameters[0].Value = id;
                line.Parameters[1].Value = env;
                line.Parameters[2].Value = json;
            }
            while (line.ExecuteNonQuery() == 0);

            fts.Parameters[0].Value = id;
            fts.Parameters[1].Value = index.Text;
            fts.Parameters[2].Value = index.Terms;
            fts.ExecuteNonQuery();
            if (!_knownEnvironments.Contains(env) && newEnvironments.Add(env))
            {
                environment.Parameters[0].Value = env;
                environment.ExecuteNonQuery();
            }

            foreach (var (name, type) in index.Fields)
            {
                if (!_knownFields.Contains((env, name)) && newFields.Add((env, name)))
                {
                    field.Parameters[0].Value = env;
                    field.Parameters[1].Value = name;
                    field.Parameters[2].Value = (int)type;
                    field.ExecuteNonQuery();
                }
            }
        }

        transaction.Commit();
        _knownFields.UnionWith(newFields);
        _knownEnvironments.UnionWith(newEnvironments);
    }

    private static LogPruneResult Prune(SqliteConnection connection, DateTimeOffset olderThan, long maxBytes, CancellationToken cancellationToken)
    {
        var byAge = DeleteBelow(connection, Id(Math.Max(0, olderThan.ToUnixTimeMilliseconds()), 0));
        var bySize = 0L;
        // Within the limit, FTS5 drops the deleted rows' entries as its segments merge on later appends; past it, the
        // index is rewritten first, so that only space still in use counts against the limit.
        var used = Reclaim(connection, optimize: false);
        if (used > maxBytes && byAge > 0)
        {
            used = Reclaim(connection, optimize: true);
        }

        // Each round deletes the oldest share of the lines the excess suggests (a little more), then measures again.
        for (var round = 0; round < 32 && used > maxBytes; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Scalar(connection, "SELECT count(*) FROM log_lines", null);
            if (count == 0)
            {
                break;
            }

            var share = Math.Min(1.0, ((double)(used - maxBytes) / used) + 0.02);
            var take = Math.Clamp((long)Math.Ceiling(count * share), 1, count);
            var last = Scalar(connection, "SELECT id FROM log_lines ORDER BY id LIMIT 1 OFFSET $n", ("$n", take - 1));
            bySize += DeleteBelow(connection, last + 1);
            used = Reclaim(connection, optimize: true);
        }

        return new LogPruneResult(byAge, bySize, used);
    }

    private static long DeleteBelow(SqliteConnection connection, long id)
    {
        using var transaction = connection.BeginTransaction();
        using (var fts = Command(connection, transaction, "DELETE FROM log_fts WHERE rowid IN (SELECT id FROM log_lines WHERE id < $id)", "$id"))
        {
            fts.Parameters[0].Value = id;
            fts.ExecuteNonQuery();
        }

        long deleted;
        using (var lines = Command(connection, transaction, "DELETE FROM log_lines WHERE id < $id", "$id"))
        {
            lines.Parameters[0].Value = id;
            deleted = lines.ExecuteNonQuery();
        }

        transaction.Commit();
        return deleted;
    }

    /// <summary>
    /// Gives deleted space back: FTS5 drops a deleted row's entries only when it rewrites the segments holding them
    /// (<paramref name="optimize"/> rewrites them all now), and the file shrinks by incremental vacuum
    /// (auto_vacuum=INCREMENTAL) once the WAL is checkpointed.
    /// </summary>
    private static long Reclaim(SqliteConnection connection, bool optimize)
    {
        if (optimize)
        {
            EmbeddedLogDatabase.Execute(connection, "INSERT INTO log_fts(log_fts) VALUES('optimize');");
        }

        EmbeddedLogDatabase.Execute(connection, "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);");
        return EmbeddedLogDatabase.UsedBytes(connection);
    }

    private static long Scalar(SqliteConnection connection, string sql, (string Name, long Value)? parameter)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (parameter is { } p)
        {
            command.Parameters.AddWithValue(p.Name, p.Value);
        }

        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        command.Prepare();
        return command;
    }
}
