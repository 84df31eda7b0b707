namespace Portal.Infrastructure.Persistence;

/// <summary>Settings of the <c>Database</c> section.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>Sqlite</c> (default, embedded) or <c>PostgreSql</c>. Kept as text so a typo gets a clear message.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>ADO.NET connection string. Empty means the SQLite file <c>portal.db</c> in the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations when the app starts. The <c>migrate</c> subcommand does it regardless.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Seconds a readiness probe waits for the database before calling it unreachable.</summary>
    public int ProbeTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Seconds between the availability probe's <c>SELECT 1</c> (it also probes at once after a failed access), so
    /// the "database is not answering" banner comes and goes by itself. PostgreSQL's own waits are set in the
    /// connection string: <c>Timeout</c> (connecting) and <c>Command Timeout</c> (a statement).
    /// </summary>
    public int AvailabilityProbeSeconds { get; set; } = 5;

    public DatabaseProvider ParsedProvider =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var p) && Enum.IsDefined(p)
            ? p
            : throw new InvalidOperationException($"{SectionName}:{nameof(Provider)} is not valid.");
}
