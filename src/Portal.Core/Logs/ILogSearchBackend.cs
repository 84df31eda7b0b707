using Portal.Core.Logs.Kql;

namespace Portal.Core.Logs;

/// <summary>
/// Searching stored log documents: the port behind the Discover page and <c>/api/v1/logs</c>. Adapters:
/// <c>EmbeddedLogStore</c> (SQLite with FTS5) and <c>ElasticsearchLogSearchBackend</c> (Elasticsearch 7.10+/8.x
/// and OpenSearch over REST). The caller has already authorized every scope; a back end never widens them.
/// </summary>
public interface ILogSearchBackend
{
    /// <summary>One page of hits, the total and (when asked) the histogram for the query over the time range.</summary>
    /// <exception cref="LogBackendException">The engine refused the query, throttled, timed out or is unreachable.</exception>
    Task<LogSearchResult> SearchAsync(LogSearchRequest request, CancellationToken cancellationToken);

    /// <summary>Every field the scopes' documents carry, with its type, sorted by name.</summary>
    /// <exception cref="LogBackendException">As for <see cref="SearchAsync"/>.</exception>
    Task<IReadOnlyList<LogField>> FieldsAsync(IReadOnlyList<LogScope> scopes, CancellationToken cancellationToken);
}

/// <summary>One environment's logs as a back end finds them: its name and the Kubernetes namespace its pods run in.</summary>
public sealed record LogScope(string Environment, string Namespace);

public enum LogOrder
{
    NewestFirst,
    OldestFirst,
}

public sealed record LogSearchRequest
{
    /// <summary>Null matches every document.</summary>
    public KqlNode? Query { get; init; }

    /// <summary>Inclusive.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Inclusive.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>The environments to search, already authorized; never empty.</summary>
    public required IReadOnlyList<LogScope> Scopes { get; init; }

    public int Size { get; init; } = 100;

    public LogOrder Order { get; init; } = LogOrder.NewestFirst;

    /// <summary>
    /// A <see cref="LogHit.Cursor"/>: the page starts right after that hit in <see cref="Order"/>. A cursor from any
    /// earlier search over the same scopes works, in either order, so a hit's surrounding documents are two searches.
    /// </summary>
    public string? SearchAfter { get; init; }

    /// <summary>Bucket width of the histogram over [<see cref="From"/>, <see cref="To"/>]; null: no histogram.</summary>
    public TimeSpan? HistogramInterval { get; init; }
}

/// <summary>One stored document: its id in the back end, its time, the environment it belongs to, and its JSON as shipped.</summary>
public sealed record LogHit(string Id, DateTimeOffset Timestamp, string Environment, System.Text.Json.Nodes.JsonObject Source, string Cursor);

/// <summary>Hits in one histogram bucket starting at <see cref="Start"/>; every bucket of the range is present, empty ones with 0.</summary>
public sealed record LogHistogramBucket(DateTimeOffset Start, long Count);

/// <summary><see cref="Total"/> counts every match in the range and scopes, not just this page.</summary>
public sealed record LogSearchResult(IReadOnlyList<LogHit> Hits, long Total, IReadOnlyList<LogHistogramBucket> Histogram);

public enum LogFieldType
{
    String,
    Number,
    Date,
    Boolean,
}

public sealed record LogField(string Name, LogFieldType Type);

public enum LogBackendFailure
{
    /// <summary>The engine refused the query (HTTP 400): the message carries its reason.</summary>
    InvalidQuery,

    /// <summary>Too many requests (HTTP 429) after retrying.</summary>
    Throttled,

    Timeout,

    /// <summary>Unreachable, 5xx, or refused our credentials.</summary>
    Unavailable,
}

/// <summary>A back end's failure with a message fit for the user: never a stack trace, a URL's credentials or a key.</summary>
public sealed class LogBackendException(LogBackendFailure failure, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public LogBackendFailure Failure { get; } = failure;
}
