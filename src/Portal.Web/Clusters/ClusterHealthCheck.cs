using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Portal.Web.Clusters;

/// <summary>
/// /readyz's view of the clusters: Degraded (still 200: the rest of Portal keeps serving) naming each cluster that
/// does not answer and why; Healthy when all do.
/// </summary>
public sealed class ClusterHealthCheck(ClusterRegistry clusters) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        foreach (var name in clusters.Names)
        {
            try
            {
                var client = await clusters.GetAsync(name, cancellationToken);
                var condition = client is null ? null : await client.ConditionAsync(cancellationToken);
                if (condition is { Healthy: false })
                {
                    problems.Add($"cluster '{name}': {condition.Error}");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                problems.Add($"cluster '{name}': {ex.Message}");
            }
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy($"{clusters.Names.Count} cluster(s) answer")
            : HealthCheckResult.Degraded(string.Join("; ", problems));
    }
}
