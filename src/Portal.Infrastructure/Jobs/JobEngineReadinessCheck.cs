using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Portal.Infrastructure.Jobs;

/// <summary>
/// Ready once this replica's scheduler runs (it starts after the migrations): before that, a job asked for here
/// would wait for the next sweep. Healthy at once when the scheduler is switched off in this process.
/// </summary>
public sealed class JobEngineReadinessCheck(JobEngineHost host) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(host.State switch
        {
            JobEngineState.Running => HealthCheckResult.Healthy("Job scheduler running."),
            JobEngineState.Off => HealthCheckResult.Healthy("Job scheduler switched off in this process (Jobs:Enabled=false)."),
            _ => HealthCheckResult.Unhealthy("Job scheduler not started yet."),
        });
}

public enum JobEngineState
{
    Starting,
    Running,
    Off,
}
