using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.Infrastructure.Persistence;

/// <summary>
/// Ready when the database answers within the probe timeout and has every migration this build knows. The
/// answer is public (/readyz), so it names the provider and the problem only; where and why goes to the log.
/// </summary>
public sealed partial class DatabaseReadinessCheck(
    SchemaMigrator migrator, PortalDatabase database, IOptions<DatabaseOptions> options, ILogger<DatabaseReadinessCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.ProbeTimeoutSeconds));
        var provider = database.Provider.ToString();
        try
        {
            var pending = await migrator.GetPendingAsync(timeout.Token);
            return pending.Count == 0
                ? HealthCheckResult.Healthy($"{provider}: reachable, schema current.")
                : HealthCheckResult.Unhealthy($"{provider}: {pending.Count} migration(s) not applied yet (first: {pending[0]:D4}).");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, database.Describe(), "no answer in time");
            return HealthCheckResult.Unhealthy($"{provider}: unreachable (no answer within {options.Value.ProbeTimeoutSeconds} s).");
        }
        catch (Exception ex) when (ex is DbException or TimeoutException or InvalidOperationException)
        {
            LogUnreachable(logger, database.Describe(), ex.Message);
            return HealthCheckResult.Unhealthy($"{provider}: unreachable.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness: database {Target} unreachable: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string target, string reason);
}
