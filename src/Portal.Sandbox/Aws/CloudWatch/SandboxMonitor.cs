using Portal.Sandbox.Aws.CloudTrail;

namespace Portal.Sandbox.Aws.CloudWatch;

/// <summary>
/// The sandbox CloudWatch's clockwork, one <see cref="Tick"/> at a time: keeps every workload's alarms in step with
/// the cluster's Deployments (created as a platform team's automation would, updated when their period is changed,
/// deleted with the Deployment), samples
/// the metrics, and evaluates the alarms right after each period closes.
/// </summary>
internal sealed class SandboxMonitor(WorkloadMetrics workload, SandboxAlarms alarms, int periodSeconds = 60)
{
    private static readonly TrailCaller Automation = new(SandboxAlarms.Caller, UserAgent: null, SourceAddress: null);

    public void Tick(DateTimeOffset now)
    {
        Reconcile(workload.Services());
        if (workload.Tick(now) is { } closedUntil)
        {
            alarms.Evaluate(closedUntil);
        }

        alarms.Save();
    }

    private void Reconcile(IReadOnlyList<WorkloadService> services)
    {
        var wanted = services.SelectMany(s => WorkloadAlarms.For(s, periodSeconds)).ToDictionary(a => a.Name, StringComparer.Ordinal);
        foreach (var definition in wanted.Values)
        {
            if (alarms.Find(definition.Name) is not { } existing || !AlarmJson.Same(existing.Definition, definition))
            {
                alarms.Put(definition, Automation);
            }
        }

        // One DeleteAlarms call per service that is gone, as a cleanup job would make it.
        foreach (var gone in alarms.List().Where(a => WorkloadAlarms.ServiceOf(a.Name) is not null && !wanted.ContainsKey(a.Name)).GroupBy(a => WorkloadAlarms.ServiceOf(a.Name)))
        {
            alarms.Delete([.. gone.Select(a => a.Name)], Automation);
        }
    }
}
