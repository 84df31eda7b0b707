using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Portal.Infrastructure.Persistence;

/// <summary>Ready when the database answers within the probe timeout and has every migration this build knows.</summary>
public sealed class DatabaseReadinessCheck(SchemaMigrator migrator, PortalDatabase database, IOptions<DatabaseOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.ProbeTimeoutSeconds));
        try
        {
            var pending = await migrator.GetPendingAsync(timeout.Token);
            return pending.Count == 0
                ? HealthCheckResult.Healthy(database.Describe())
                : HealthCheckResult.Unhealthy($"{database.Describe()}: {pending.Count} migration(s) not applied yet (first: {pending[0]:D4}).");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{database.Describe()}: no answer within {options.Value.ProbeTimeoutSeconds} s.");
        }
        catch (Exception ex) when (ex is DbException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"{database.Describe()}: unreachable ({ex.Message})");
        }
    }
}
