using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Logs.Elasticsearch;

namespace Portal.Web.Features.Logs;

/// <summary>
/// Whether the log back end answers, for the Logs page's banner: its own health check (Elasticsearch's cluster
/// health, or the embedded store's), asked at most every few seconds however many pages are open. The page's
/// search only runs once interactive, so without this a prerendered page would not say the back end is down.
/// </summary>
public sealed class LogBackendCondition(HealthCheckService health, TimeProvider clock)
{
    /// <summary>The embedded store's check and the Elasticsearch one.</summary>
    private static readonly string[] Checks = [LogsRegistration.EmbeddedHealthCheckName, ElasticsearchLogsExtensions.HealthCheckName];

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, string? Error) _last = (DateTimeOffset.MinValue, null);

    /// <summary>Null while the back end answers; else why it does not, in words safe to show (the checks redact credentials).</summary>
    public async Task<string?> ErrorAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            if (now - _last.At >= Interval)
            {
                var report = await health.CheckHealthAsync(r => Checks.Contains(r.Name, StringComparer.Ordinal), ct);

                // Only Unhealthy: a yellow cluster (replicas missing) or an embedded store over its size still answers searches.
                // (HealthReportEntry is a struct whose default Status is Unhealthy: select the text, not the entry.)
                var failing = report.Entries.Values.Where(e => e.Status == HealthStatus.Unhealthy).Select(e => e.Description ?? "its health check failed");
                _last = (now, failing.FirstOrDefault());
            }

            return _last.Error;
        }
        finally
        {
            _gate.Release();
        }
    }
}
