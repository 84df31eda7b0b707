using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Core.Logs;

namespace Portal.Logs.Embedded;

/// <summary>
/// /readyz's view of the embedded log store: Healthy with its size while the file opens and answers; Degraded (the
/// rest of Portal keeps serving) with the reason when it does not, or when it has grown past its limit.
/// </summary>
public sealed class EmbeddedLogHealthCheck(EmbeddedLogStore store, IOptions<EmbeddedLogOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var bytes = await store.SizeAsync(cancellationToken);
            var limit = options.Value.MaxSizeBytes;
            var size = string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.0} MiB of {options.Value.MaxSizeMegabytes} MiB");
            return bytes > limit
                ? HealthCheckResult.Degraded($"embedded log store over its limit until the next prune: {size}")
                : HealthCheckResult.Healthy($"embedded log store: {size}");
        }
        catch (LogBackendException ex)
        {
            return HealthCheckResult.Degraded(ex.Message);
        }
    }
}
