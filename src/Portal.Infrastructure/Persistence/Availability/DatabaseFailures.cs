using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Portal.Infrastructure.Persistence.Availability;

/// <summary>
/// Tells "the database is not answering" apart from everything else a data access can throw (a conflict, a bug, a
/// violated constraint): only the first is an outage that pages should ride out and the API should answer with 503.
/// Looks through the whole chain of inner exceptions, because EF Core and Quartz wrap the provider's.
/// </summary>
public static class DatabaseFailures
{
    /// <summary>
    /// PostgreSQL's SQLSTATEs that mean the server or the connection gave up, not that the statement was wrong:
    /// class 08 (connection exception), 57P01-57P03 (terminated by an administrator, crash, starting up),
    /// 57014 (cancelled: statement_timeout) and 53300 (too many connections).
    /// </summary>
    private static readonly HashSet<string> OutageStates = new(StringComparer.Ordinal) { "57P01", "57P02", "57P03", "57014", "53300" };

    /// <summary>SQLite's primary result codes for a file that is busy, locked, unreadable or unopenable.</summary>
    private static readonly HashSet<int> SqliteOutageCodes = [5 /* BUSY */, 6 /* LOCKED */, 10 /* IOERR */, 14 /* CANTOPEN */];

    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || OutageStates.Contains(postgres.SqlState);
                case NpgsqlException:
                    // Not a server's answer: a refused, reset or timed-out connection, or an exhausted pool.
                    return true;
                case SqliteException sqlite:
                    return SqliteOutageCodes.Contains(sqlite.SqliteErrorCode & 0xFF);
                case TimeoutException:
                    return true;
                case DbException { IsTransient: true }:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                    return aggregate.InnerExceptions.Any(IsUnavailable);
            }
        }

        return false;
    }
}
