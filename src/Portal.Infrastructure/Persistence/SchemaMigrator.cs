using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace Portal.Infrastructure.Persistence;

/// <summary>
/// Applies the provider's versioned SQL scripts in order, each in its own transaction together with its row in
/// <c>schema_versions</c>, so a failing script leaves nothing half-written. See docs/adr/0002.
/// </summary>
public sealed partial class SchemaMigrator
{
    private readonly PortalDatabase _database;
    private readonly TimeProvider _clock;
    private readonly ILogger<SchemaMigrator> _logger;
    private readonly IReadOnlyList<SchemaScript> _scripts;

    public SchemaMigrator(PortalDatabase database, TimeProvider clock, ILogger<SchemaMigrator> logger)
        : this(database, SchemaScript.Load(database.Provider), clock, logger)
    {
    }

    internal SchemaMigrator(PortalDatabase database, IReadOnlyList<SchemaScript> scripts, TimeProvider clock, ILogger<SchemaMigrator> logger)
    {
        _database = database;
        _scripts = scripts;
        _clock = clock;
        _logger = logger;
    }

    public IReadOnlyList<SchemaScript> Scripts => _scripts;

    /// <summary>Applies every pending script. Returns the versions it applied (empty when the schema was current).</summary>
    public async Task<IReadOnlyList<SchemaScript>> MigrateAsync(CancellationToken ct)
    {
        var dialect = SchemaDialect.For(_database.Provider);
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync(ct);
        await dialect.PrepareAsync(connection, ct);
        await dialect.LockAsync(connection, ct);
        try
        {
            await connection.ExecuteAsync(dialect.CreateVersionTable, ct);
            var applied = await ReadAppliedAsync(connection, ct);
            VerifyUnchanged(applied);

            var done = new List<SchemaScript>();
            foreach (var script in _scripts.Where(s => !applied.ContainsKey(s.Version)))
            {
                if (await ApplyAsync(connection, script, ct))
                {
                    done.Add(script);
                    LogApplied(_logger, script.Version, script.Name);
                }
            }

            return done;
        }
        finally
        {
            await dialect.UnlockAsync(connection);
        }
    }

    /// <summary>The versions known to this build that the database has not applied yet.</summary>
    public async Task<IReadOnlyList<int>> GetPendingAsync(CancellationToken ct)
    {
        var dialect = SchemaDialect.For(_database.Provider);
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync(ct);
        if (await connection.ScalarAsync(dialect.VersionTableExists, ct) == 0)
        {
            return [.. _scripts.Select(s => s.Version)];
        }

        var applied = await ReadAppliedAsync(connection, ct);
        return [.. _scripts.Where(s => !applied.ContainsKey(s.Version)).Select(s => s.Version)];
    }

    /// <summary>Applies one script unless another process applied it meanwhile (checked under the write lock).</summary>
    private async Task<bool> ApplyAsync(DbConnection connection, SchemaScript script, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var check = connection.CreateCommand())
        {
            check.Transaction = transaction;
            check.CommandText = "SELECT COUNT(*) FROM schema_versions WHERE version = @version;";
            check.AddParameter("@version", script.Version);
            if (Convert.ToInt64(await check.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                return false;
            }
        }

        await connection.ExecuteAsync(script.Sql, ct, transaction);
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO schema_versions (version, name, checksum, applied_at) VALUES (@version, @name, @checksum, @appliedAt);";
            insert.AddParameter("@version", script.Version);
            insert.AddParameter("@name", script.Name);
            insert.AddParameter("@checksum", script.Checksum);
            insert.AddParameter("@appliedAt", _clock.GetUtcNow());
            await insert.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return true;
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(DbConnection connection, CancellationToken ct)
    {
        var applied = new Dictionary<int, string>();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, checksum FROM schema_versions;";
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private void VerifyUnchanged(Dictionary<int, string> applied)
    {
        foreach (var script in _scripts)
        {
            if (applied.TryGetValue(script.Version, out var checksum) && checksum != script.Checksum)
            {
                throw new SchemaDriftException(
                    $"Migration {script.Version:D4}_{script.Name} was changed after it was applied; add a new script instead of editing an applied one.");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version:D4}_{Name}")]
    private static partial void LogApplied(ILogger logger, int version, string name);
}

public sealed class SchemaDriftException(string message) : Exception(message);
