using Microsoft.Data.Sqlite;
using Portal.Core.Logs;

namespace Portal.Logs.Embedded;

/// <summary>
/// The embedded store's SQLite file: opens pooled connections (WAL, <c>synchronous=NORMAL</c>), creates the schema on
/// first use, and turns SQLite's errors into <see cref="LogBackendException"/>.
/// <list type="bullet">
/// <item><c>log_lines(id, env, doc)</c>: the document as shipped. <c>id = (unix milliseconds &lt;&lt; 20) | sequence</c>,
/// so a time range is an id range, newest first is descending id, a histogram bucket is arithmetic on the id, and a
/// cursor is the id.</item>
/// <item><c>log_fts(text, terms)</c>: contentless FTS5 (<c>contentless_delete=1</c>, so retention can delete) fed with
/// the tokens of <see cref="LogDocumentIndexer"/>.</item>
/// <item><c>log_fields(env, name, type)</c> and <c>log_envs(env)</c>: what the documents carry, kept on append.</item>
/// </list>
/// </summary>
internal sealed class EmbeddedLogDatabase(EmbeddedLogOptions options)
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS log_lines(id INTEGER PRIMARY KEY, env TEXT NOT NULL, doc TEXT NOT NULL);
        CREATE VIRTUAL TABLE IF NOT EXISTS log_fts USING fts5(
            text, terms, content='', contentless_delete=1, tokenize="ascii tokenchars '_'");
        CREATE TABLE IF NOT EXISTS log_fields(env TEXT NOT NULL, name TEXT NOT NULL, type INTEGER NOT NULL, PRIMARY KEY(env, name)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS log_envs(env TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
        """;

    private readonly SemaphoreSlim _init = new(1, 1);
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = options.Path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        // Seconds a statement waits for another process's lock (SQLite's busy timeout).
        DefaultTimeout = 30,
    }.ToString();

    private volatile bool _initialized;

    public string Path => options.Path;

    /// <summary>An open connection to the (created, migrated) file.</summary>
    /// <exception cref="LogBackendException">Unavailable: the file cannot be opened or created.</exception>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            throw new LogBackendException(LogBackendFailure.Unavailable, "The embedded log store has no file configured (Logs:Embedded:Path).");
        }

        if (!_initialized)
        {
            await InitializeAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            Execute(connection, "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768;");
            return connection;
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync();
            throw Unavailable(ex);
        }
    }

    /// <summary>Bytes the database's pages in use take (page count less the free list, times the page size).</summary>
    public static long UsedBytes(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count()), (SELECT page_size FROM pragma_page_size())";
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetInt64(0) * reader.GetInt64(1);
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// SQLite's error as the port's: a query it rejects is the user's (InvalidQuery), a lock held too long a timeout,
    /// anything else (I/O, a damaged or missing file) unavailable. The message never carries SQL.
    /// </summary>
    public LogBackendException Map(SqliteException ex) => ex.SqliteErrorCode switch
    {
        // FTS5's expression parser has a fixed stack, less deep than the nesting KQL allows.
        1 when ex.Message.Contains("parser stack overflow", StringComparison.Ordinal) || ex.Message.Contains("too large", StringComparison.Ordinal) =>
            new LogBackendException(LogBackendFailure.InvalidQuery, "The query nests too deeply for the embedded log store; use fewer levels of parentheses and 'not'.", ex),
        1 => new LogBackendException(LogBackendFailure.InvalidQuery, "The embedded log store could not run this query; try simpler terms or quote the value.", ex),
        5 or 6 => new LogBackendException(LogBackendFailure.Timeout, "The embedded log store is busy; try again.", ex),
        _ => Unavailable(ex),
    };

    private LogBackendException Unavailable(SqliteException ex) =>
        new(LogBackendFailure.Unavailable, $"The embedded log store ({System.IO.Path.GetFileName(options.Path)}) is unavailable: {ex.Message}", ex);

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _init.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            // auto_vacuum must be chosen before the first table exists; on an existing file it changes nothing.
            Execute(connection, "PRAGMA auto_vacuum=INCREMENTAL; PRAGMA journal_mode=WAL;");
            Execute(connection, Schema);
            // Merge segments 8 at a time instead of 4: a third faster appends for a few more segments per query.
            Execute(connection, "INSERT INTO log_fts(log_fts, rank) VALUES('automerge', 8);");
            _initialized = true;
        }
        catch (SqliteException ex)
        {
            throw Unavailable(ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LogBackendException(LogBackendFailure.Unavailable, $"The embedded log store ({System.IO.Path.GetFileName(options.Path)}) is unavailable: {ex.Message}", ex);
        }
        finally
        {
            _init.Release();
        }
    }
}
