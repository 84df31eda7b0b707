using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Infrastructure.Persistence.Availability;

namespace Portal.Infrastructure.Persistence;

/// <summary>The configured database: which provider, and how to open a connection to it.</summary>
/// <param name="availability">Told of every EF Core command's outcome, when given (the app always gives it).</param>
public sealed class PortalDatabase(IOptions<DatabaseOptions> options, DatabaseAvailability? availability = null)
{
    private readonly DatabaseOptions _options = options.Value;

    public DatabaseProvider Provider => _options.ParsedProvider;

    /// <summary>A closed connection. For SQLite, the file's directory is created first.</summary>
    public DbConnection CreateConnection()
    {
        var connectionString = _options.ConnectionString!;
        if (Provider == DatabaseProvider.PostgreSql)
        {
            return new NpgsqlConnection(connectionString);
        }

        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode != SqliteOpenMode.Memory && !builder.DataSource.StartsWith(':'))
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }
        }

        return new SqliteConnection(connectionString);
    }

    public void Configure(DbContextOptionsBuilder builder)
    {
        if (Provider == DatabaseProvider.PostgreSql)
        {
            builder.UseNpgsql(_options.ConnectionString);
        }
        else
        {
            builder.UseSqlite(_options.ConnectionString).AddInterceptors(SqliteSynchronousNormal.Instance);
        }

        if (availability is not null)
        {
            builder.AddInterceptors(new DatabaseAvailabilityInterceptor(availability));
        }
    }

    /// <summary>Drops the pooled idle connections (PostgreSQL): after an outage they are dead sockets.</summary>
    public void ClearPool()
    {
        if (Provider == DatabaseProvider.PostgreSql)
        {
            using var connection = new NpgsqlConnection(_options.ConnectionString);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    /// <summary>
    /// In WAL mode, <c>synchronous=NORMAL</c> syncs at checkpoints instead of at every commit: a crash of the portal
    /// loses nothing and the file never corrupts; only a power cut can lose the last commits. The job runners' many
    /// small writes were waiting on one fsync each.
    /// </summary>
    private sealed class SqliteSynchronousNormal : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
    {
        public static readonly SqliteSynchronousNormal Instance = new();

        public override void ConnectionOpened(DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private static void Apply(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=NORMAL;";
            command.ExecuteNonQuery();
        }
    }

    /// <summary>A description safe for logs and pages: provider and target, never credentials.</summary>
    public string Describe()
    {
        if (Provider == DatabaseProvider.PostgreSql)
        {
            var b = new NpgsqlConnectionStringBuilder(_options.ConnectionString);
            return $"PostgreSql {b.Host}:{b.Port}/{b.Database}";
        }

        return $"Sqlite {new SqliteConnectionStringBuilder(_options.ConnectionString).DataSource}";
    }
}
