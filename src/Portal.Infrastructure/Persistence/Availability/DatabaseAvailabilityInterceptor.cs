using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Infrastructure.Persistence.Availability;

/// <summary>
/// Feeds <see cref="DatabaseAvailability"/> from every EF Core command: a failed connection or command that is an
/// outage marks the database unavailable at once (the next page already shows the banner); a command that
/// completes marks it available again.
/// </summary>
internal sealed class DatabaseAvailabilityInterceptor(DatabaseAvailability availability) : DbCommandInterceptor, IDbConnectionInterceptor
{
    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => availability.ReportFailure(eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        availability.ReportFailure(eventData.Exception);
        return Task.CompletedTask;
    }

    public void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => availability.ReportFailure(eventData.Exception);

    public Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        availability.ReportFailure(eventData.Exception);
        return Task.CompletedTask;
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result) => Answered(result);

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(Answered(result));

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result) => Answered(result);

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(Answered(result));

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result) => Answered(result);

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(Answered(result));

    private T Answered<T>(T result)
    {
        availability.ReportSuccess();
        return result;
    }
}
