using Microsoft.Extensions.Options;
using Portal.Core.Logs;

namespace Portal.Logs.Embedded;

/// <summary>
/// The embedded log store, the default when no Elasticsearch is configured: one SQLite file with FTS5 (its own, not
/// the portal's database) that the sandbox's pods and <c>/ingest/_bulk</c> append to and Discover searches. KQL means
/// here what it means against Elasticsearch (docs/adr/0011), case-insensitively throughout; every field a document
/// carries is searchable by its dotted name. Scopes are matched by environment name (each record is stored with its
/// environment); a scope's namespace is not consulted.
/// </summary>
public sealed class EmbeddedLogStore : ILogStore, ILogSearchBackend
{
    private readonly EmbeddedLogWriter _writer;
    private readonly EmbeddedLogSearch _search;

    public EmbeddedLogStore(IOptions<EmbeddedLogOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        Database = new EmbeddedLogDatabase(options.Value);
        _writer = new EmbeddedLogWriter(Database);
        _search = new EmbeddedLogSearch(Database, clock);
    }

    internal EmbeddedLogDatabase Database { get; }

    /// <inheritdoc />
    /// <remarks>The records' timestamps must be after 1970; their environment and time are the caller's to check.</remarks>
    public Task AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken) => _writer.AppendAsync(records, cancellationToken);

    /// <inheritdoc />
    public Task<LogPruneResult> PruneAsync(DateTimeOffset olderThan, long maxBytes, CancellationToken cancellationToken) =>
        _writer.PruneAsync(olderThan, maxBytes, cancellationToken);

    /// <inheritdoc />
    public Task<LogSearchResult> SearchAsync(LogSearchRequest request, CancellationToken cancellationToken) => _search.SearchAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<LogField>> FieldsAsync(IReadOnlyList<LogScope> scopes, CancellationToken cancellationToken) =>
        _search.FieldsAsync(scopes, cancellationToken);

    /// <summary>Bytes the store's pages in use take: what <see cref="PruneAsync"/> compares with its limit.</summary>
    public async Task<long> SizeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        try
        {
            return EmbeddedLogDatabase.UsedBytes(connection);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            throw Database.Map(ex);
        }
    }
}
