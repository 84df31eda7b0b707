namespace Portal.Core.Logs;

/// <summary>Section <c>Logs</c>: which back end answers searches, and how Discover behaves.</summary>
public sealed class LogsOptions
{
    public const string SectionName = "Logs";

    /// <summary><c>Embedded</c> (SQLite in the data directory, fed by the sandbox and <c>/ingest/_bulk</c>) or <c>Elasticsearch</c> (also OpenSearch).</summary>
    public LogBackendKind Backend { get; set; } = LogBackendKind.Embedded;

    /// <summary>How many of the newest hits the field sidebar is computed from (Kibana's <c>discover:sampleSize</c>).</summary>
    public int SampleSize { get; set; } = 500;

    /// <summary>The most rows a CSV export holds; the page says when a result was cut.</summary>
    public int ExportLimit { get; set; } = 10_000;

    /// <summary>How far around a hit its surrounding documents are looked for.</summary>
    public TimeSpan SurroundingWindow { get; set; } = TimeSpan.FromHours(1);
}

public enum LogBackendKind
{
    Embedded,
    Elasticsearch,
}
