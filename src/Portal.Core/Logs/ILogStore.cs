using System.Text.Json.Nodes;

namespace Portal.Core.Logs;

/// <summary>
/// The write side of the embedded log store: what <c>/ingest/_bulk</c> and the sandbox's log shipper append to, and
/// what retention prunes. Elasticsearch has no adapter here: shippers write to it directly.
/// </summary>
public interface ILogStore
{
    /// <summary>Appends the records in one transaction; all or none.</summary>
    Task AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken);

    /// <summary>Deletes documents older than <paramref name="olderThan"/>, then the oldest until the store is under <paramref name="maxBytes"/>.</summary>
    Task<LogPruneResult> PruneAsync(DateTimeOffset olderThan, long maxBytes, CancellationToken cancellationToken);
}

/// <summary>One document to store, already assigned to its environment; <see cref="Document"/> holds every field as shipped.</summary>
public sealed record LogRecord(string Environment, DateTimeOffset Timestamp, JsonObject Document);

public sealed record LogPruneResult(long DeletedByAge, long DeletedBySize, long BytesAfter);
