namespace Portal.Logs.Embedded;

/// <summary>
/// Section <c>Logs:Embedded</c>: the embedded log store, one SQLite file of its own (not the portal's database) that
/// the sandbox's pods ship their lines into and <c>/ingest/_bulk</c> appends to.
/// </summary>
public sealed class EmbeddedLogOptions
{
    public const string SectionName = "Logs:Embedded";

    /// <summary>The database file; the host sets it from the data directory. Its folder is created on first open.</summary>
    public string Path { get; set; } = "";

    /// <summary>Documents older than this many days are pruned.</summary>
    public int RetentionDays { get; set; } = 7;

    /// <summary>Past this size the oldest documents are pruned, whatever their age.</summary>
    public int MaxSizeMegabytes { get; set; } = 2048;

    /// <summary><see cref="MaxSizeMegabytes"/> in bytes.</summary>
    public long MaxSizeBytes => MaxSizeMegabytes * 1024L * 1024L;
}
