using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Aws.CloudWatch;
using Portal.Core.Alarms;

namespace Portal.Aws.Accounts;

/// <summary>
/// Asks every account's CloudWatch for one alarm: all answer is healthy, some degraded, none unhealthy. The
/// description carries the failures' plain messages, never a credential.
/// </summary>
public sealed class AwsHealthCheck(AwsAccounts accounts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (accounts.Count == 0)
        {
            return HealthCheckResult.Healthy("No AWS accounts are configured.");
        }

        var failures = await Task.WhenAll(accounts.Select(async a =>
        {
            try
            {
                await a.CloudWatch.DescribeAlarmsAsync(new DescribeAlarmsRequest { MaxRecords = 1 }, cancellationToken);
                return null;
            }
            catch (AlarmSourceException ex)
            {
                return ex.Message;
            }
        }));
        var failed = failures.OfType<string>().ToList();
        if (failed.Count == 0)
        {
            return HealthCheckResult.Healthy($"CloudWatch answers for {accounts.Count} AWS account(s).");
        }

        var description = string.Join(" ", failed);
        return failed.Count == accounts.Count ? HealthCheckResult.Unhealthy(description) : HealthCheckResult.Degraded(description);
    }
}
