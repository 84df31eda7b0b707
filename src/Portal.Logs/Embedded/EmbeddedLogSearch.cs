using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Portal.Core.Logs;

namespace Portal.Logs.Embedded;

/// <summary>
/// The read side of the embedded store: one read transaction per search (a consistent snapshot for the page, the
/// total and the histogram), the compiled query's FTS5 expression ANDed with the scopes' environment tokens, and the
/// time range (and cursor) as a rowid range. Total and histogram are one grouped count in SQL.
/// </summary>
internal sealed class EmbeddedLogSearch(EmbeddedLogDatabase database, TimeProvider clock)
{
    public async Task<LogSearchResult> SearchAsync(LogSearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Scopes.Count == 0)
        {
            return new LogSearchResult([], 0, Histogram(request, []));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        using var interrupt = cancellationToken.Register(() => SQLitePCL.raw.sqlite3_interrupt(connection.Handle));
        try
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            var environments = request.Scopes.Select(s => s.Environment).Distinct(StringComparer.Ordinal).ToList();
            var compiled = LogQueryCompiler.Compile(request.Query, FieldNames(connection, transaction, environments, request.Query), clock.GetUtcNow());
            var match = Match(connection, transaction, compiled.Match, environments);
            if (compiled.Scans.Count > 0)
            {
                var scans = compiled.Scans;
                connection.CreateFunction("log_scan", (string doc, int index) => scans[index].Matches(doc), isDeterministic: true);
            }

            var low = EmbeddedLogWriter.Id(Math.Max(0, request.From.ToUnixTimeMilliseconds()), 0);
            var high = EmbeddedLogWriter.Id(Math.Max(0, request.To.ToUnixTimeMilliseconds()), -1);
            var (pageLow, pageHigh) = PageRange(request, low, high);

            var counts = Counts(connection, transaction, request, compiled, match, low, high);
            var hits = pageLow <= pageHigh ? Page(connection, transaction, request, compiled, match, (low, high), (pageLow, pageHigh)) : [];
            return new LogSearchResult(hits, counts.Sum(c => c.Value), Histogram(request, counts));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 9 && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The log search was cancelled.", ex, cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw database.Map(ex);
        }
    }

    public async Task<IReadOnlyList<LogField>> FieldsAsync(IReadOnlyList<LogScope> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            var types = new SortedDictionary<string, LogFieldType>(StringComparer.Ordinal);
            foreach (var (name, type) in Fields(connection, null, [.. scopes.Select(s => s.Environment).Distinct(StringComparer.Ordinal)]))
            {
                // Two environments that disagree on a field's type show it as a string, which every value can be.
                types[name] = types.TryGetValue(name, out var seen) && seen != type ? LogFieldType.String : type;
            }

            return [.. types.Select(t => new LogField(t.Key, t.Value))];
        }
        catch (SqliteException ex)
        {
            throw database.Map(ex);
        }
    }

    private static (long Low, long High) PageRange(LogSearchRequest request, long low, long high)
    {
        if (request.SearchAfter is null)
        {
            return (low, high);
        }

        if (!long.TryParse(request.SearchAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor))
        {
            throw new LogBackendException(LogBackendFailure.InvalidQuery, $"'{request.SearchAfter}' is not a cursor of the embedded log store.");
        }

        // A cursor is a non-negative id (NumberStyles.None), so neither side overflows but the last id's.
        return request.Order == LogOrder.NewestFirst ? (low, Math.Min(high, cursor - 1))
            : cursor == long.MaxValue ? (1, 0) : (Math.Max(low, cursor + 1), high);
    }

    /// <summary>The final FTS5 expression: the query's (or every row) within the scopes' environments.</summary>
    private static string Match(SqliteConnection connection, SqliteTransaction transaction, string? query, IReadOnlyList<string> environments)
    {
        var stored = new List<string>();
        using (var command = Command(connection, transaction, "SELECT env FROM log_envs"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                stored.Add(reader.GetString(0));
            }
        }

        // Scopes that cover every environment in the store need no environment term (its posting list is long).
        string? scope = stored.All(environments.Contains) ? null
            : "(" + string.Join(" OR ", environments.Select(e => $"(terms : \"{LogTokens.Environment(e)}\")")) + ")";
        return (query, scope) switch
        {
            (null, null) => $"(terms : \"{LogTokens.AllRows}\")",
            (null, _) => scope!,
            (_, null) => query!,
            _ => $"({query} AND {scope})",
        };
    }

    private static List<KeyValuePair<long, long>> Counts(SqliteConnection connection, SqliteTransaction transaction, LogSearchRequest request, CompiledLogQuery compiled, string match, long low, long high)
    {
        // Buckets in ticks since the epoch, as LogHistogram aligns them; without a histogram, one bucket.
        var ticks = request.HistogramInterval is { Ticks: > 0 } interval ? interval.Ticks : long.MaxValue;
        var bucket = ticks == long.MaxValue ? "0" : $"((log_fts.rowid >> {EmbeddedLogWriter.SequenceBits}) * {TimeSpan.TicksPerMillisecond}) / {ticks.ToString(CultureInfo.InvariantCulture)}";
        using var command = Command(connection, transaction,
            $"SELECT {bucket} AS b, count(*) FROM {From(compiled)} WHERE {Where(compiled)} GROUP BY b");
        Bind(command, compiled, match, (low, high), (low, high));
        var counts = new List<KeyValuePair<long, long>>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            counts.Add(new(reader.GetInt64(0), reader.GetInt64(1)));
        }

        return counts;
    }

    private static List<LogHit> Page(SqliteConnection connection, SqliteTransaction transaction, LogSearchRequest request, CompiledLogQuery compiled, string match, (long, long) range, (long, long) page)
    {
        var order = request.Order == LogOrder.NewestFirst ? "DESC" : "ASC";
        // CROSS JOIN keeps FTS5 the outer loop, so the page is read in rowid order and stops at the limit.
        using var command = Command(connection, transaction,
            $"SELECT log_fts.rowid, l.env, l.doc FROM log_fts CROSS JOIN log_lines AS l ON l.id = log_fts.rowid WHERE {Where(compiled)} ORDER BY log_fts.rowid {order} LIMIT $size");
        Bind(command, compiled, match, range, page);
        command.Parameters.AddWithValue("$size", Math.Max(0, request.Size));
        var hits = new List<LogHit>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            var source = ParseDocument(reader.GetString(2));
            var cursor = id.ToString(CultureInfo.InvariantCulture);
            hits.Add(new LogHit(cursor, DateTimeOffset.FromUnixTimeMilliseconds(id >> EmbeddedLogWriter.SequenceBits), reader.GetString(1), source, cursor));
        }

        return hits;
    }

    private static JsonObject ParseDocument(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string From(CompiledLogQuery compiled) =>
        compiled.NeedsDocument ? "log_fts CROSS JOIN log_lines AS l ON l.id = log_fts.rowid" : "log_fts";

    private static string Where(CompiledLogQuery compiled) =>
        "log_fts MATCH $match AND log_fts.rowid BETWEEN $from AND $to" + (compiled.Where is null ? "" : $" AND {compiled.Where}");

    private static void Bind(SqliteCommand command, CompiledLogQuery compiled, string match, (long Low, long High) range, (long Low, long High) rows)
    {
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$from", rows.Low);
        command.Parameters.AddWithValue("$to", rows.High);
        if (compiled.Where is not null)
        {
            command.Parameters.AddWithValue("$lo", range.Low);
            command.Parameters.AddWithValue("$hi", range.High);
            foreach (var (name, value) in compiled.Parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }
        }
    }

    private static IReadOnlyList<LogHistogramBucket> Histogram(LogSearchRequest request, List<KeyValuePair<long, long>> counts)
    {
        if (request.HistogramInterval is not { } interval)
        {
            return [];
        }

        try
        {
            return LogHistogram.Fill(request.From, request.To, interval,
                counts.Select(c => new KeyValuePair<DateTimeOffset, long>(DateTimeOffset.UnixEpoch.AddTicks(c.Key * interval.Ticks), c.Value)));
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new LogBackendException(LogBackendFailure.InvalidQuery, ex.Message, ex);
        }
    }

    /// <summary>The field names the query may need (field wildcards, free-text phrases); none when it needs none.</summary>
    private static List<string> FieldNames(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<string> environments, Core.Logs.Kql.KqlNode? query) =>
        query is null ? [] : [.. Fields(connection, transaction, environments).Select(f => f.Name).Distinct(StringComparer.Ordinal)];

    private static List<(string Name, LogFieldType Type)> Fields(SqliteConnection connection, SqliteTransaction? transaction, IReadOnlyList<string> environments)
    {
        using var command = Command(connection, transaction,
            $"SELECT name, type FROM log_fields WHERE env IN ({string.Join(", ", environments.Select((_, i) => "$e" + i.ToString(CultureInfo.InvariantCulture)))}) ORDER BY name");
        for (var i = 0; i < environments.Count; i++)
        {
            command.Parameters.AddWithValue("$e" + i.ToString(CultureInfo.InvariantCulture), environments[i]);
        }

        var fields = new List<(string, LogFieldType)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            fields.Add((reader.GetString(0), (LogFieldType)reader.GetInt32(1)));
        }

        return fields;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
