using System.Data.Common;

namespace Portal.Infrastructure.Persistence;

/// <summary>What differs between providers when applying migration scripts.</summary>
internal abstract class SchemaDialect
{
    public static SchemaDialect For(DatabaseProvider provider) =>
        provider == DatabaseProvider.PostgreSql ? new PostgreSqlDialect() : new SqliteDialect();

    public abstract string CreateVersionTable { get; }

    public abstract string VersionTableExists { get; }

    /// <summary>Serialises migrators across processes (several replicas start at once).</summary>
    public virtual Task LockAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;

    public virtual Task UnlockAsync(DbConnection connection) => Task.CompletedTask;

    /// <summary>Settings that belong to the database file itself, made once before migrating.</summary>
    public virtual Task PrepareAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;

    private sealed class SqliteDialect : SchemaDialect
    {
        public override string CreateVersionTable =>
            "CREATE TABLE IF NOT EXISTS schema_versions (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL);";

        public override string VersionTableExists =>
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions';";

        // Write-ahead logging: readers never block the writer and the writer never blocks readers, so the job
        // runners' small writes and people's requests stop meeting as "database is locked". Kept by the file.
        public override async Task PrepareAsync(DbConnection connection, CancellationToken ct) =>
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;", ct);
    }

    private sealed class PostgreSqlDialect : SchemaDialect
    {
        // Any constant works as long as every replica uses the same one: "Portal" in ASCII.
        private const long LockKey = 0x506F7274616C;

        public override string CreateVersionTable =>
            "CREATE TABLE IF NOT EXISTS schema_versions (version integer NOT NULL PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL);";

        public override string VersionTableExists =>
            "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_versions';";

        public override async Task LockAsync(DbConnection connection, CancellationToken ct) =>
            await connection.ExecuteAsync($"SELECT pg_advisory_lock({LockKey});", ct);

        public override async Task UnlockAsync(DbConnection connection) =>
            await connection.ExecuteAsync($"SELECT pg_advisory_unlock({LockKey});", CancellationToken.None);
    }
}
