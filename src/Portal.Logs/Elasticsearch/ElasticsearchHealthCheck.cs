using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Core.Logs;

namespace Portal.Logs.Elasticsearch;

/// <summary>
/// <c>GET /_cluster/health</c>: green is healthy, yellow degraded (replicas missing, searches still answer), red or
/// unreachable unhealthy. The description carries the back end's redacted message, never a credential.
/// </summary>
public sealed class ElasticsearchHealthCheck : IHealthCheck
{
    private readonly ElasticsearchClient _client;

    internal ElasticsearchHealthCheck(ElasticsearchClient client) => _client = client;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var health = await _client.ClusterHealthAsync(cancellationToken);
            var status = health["status"]?.GetValue<string>();
            var description = $"{_client.Product} cluster {health["cluster_name"]?.GetValue<string>() ?? "(unnamed)"} is {status ?? "of unknown status"}.";
            return status switch
            {
                "green" => HealthCheckResult.Healthy(description),
                "yellow" => HealthCheckResult.Degraded(description),
                _ => HealthCheckResult.Unhealthy(description),
            };
        }
        catch (LogBackendException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}
