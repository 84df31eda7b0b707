using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Alarms;
using Portal.Core.Authorization;
using Portal.Core.Deployments;
using Portal.Core.Jobs;
using Portal.Core.Logs;
using Portal.Core.Logs.Kql;
using Portal.Kubernetes.Cache;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;
using Portal.Web.Features.Logs;
using Portal.Web.Features.Workloads;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// The investigate view: from an alarm to its service's pods, logs, releases, jobs and infrastructure changes over
/// the same minutes — from <see cref="AlarmsOptions.InvestigateLead"/> before the alarm last entered ALARM until now.
/// Every part is read with the viewer's own permissions; a part they may not see says so instead of failing the rest.
/// </summary>
public sealed class InvestigationService(
    AlarmService alarms,
    IAlarmSource source,
    IChangeTrail trail,
    WorkloadService workloads,
    LogSearchService logs,
    JobService jobs,
    DeploymentService deployments,
    PortalActions actions,
    TimeProvider clock,
    IOptions<AlarmsOptions> options)
{
    public const int MaxErrorLines = 200;
    public const int MaxTimelineErrorLines = 40;
    public const int MaxOtherTrailEvents = 20;

    /// <summary>The default window: a lead before the alarm last entered ALARM (looked up in its history), until now.</summary>
    public async Task<(DateTimeOffset From, DateTimeOffset To)> WindowAsync(AlarmView view, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var entered = view.State == AlarmState.Alarm ? view.Alarm.StateChangedAt : (DateTimeOffset?)null;
        if (entered is null)
        {
            try
            {
                var history = await source.HistoryAsync(view.Alarm, now.AddDays(-1), now, ct);
                entered = history.Where(h => h.NewState == AlarmState.Alarm).Select(h => (DateTimeOffset?)h.Timestamp).Max();
            }
            catch (AlarmSourceException)
            {
                // No history: fall back to the last hour below.
            }
        }

        var from = (entered ?? now.AddHours(-1)) - options.Value.InvestigateLead;
        return (from, now);
    }

    public async Task<Investigation?> InvestigateAsync(PortalPrincipal who, string alarmName, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var view = await alarms.FindAsync(who, alarmName, ct);
        if (view is null)
        {
            return null;
        }

        var window = from is { } f && to is { } t && f < t ? (f, t) : await WindowAsync(view, ct);
        var (start, end) = window;
        var problems = new List<string>();
        var timeline = new List<TimelineEntry>();
        var environment = view.Placement.Environment;
        var service = view.Placement.Service;

        timeline.AddRange(await AlarmHistoryAsync(view, start, end, problems, ct));
        var related = (await alarms.BoardAsync(who, new AlarmFilter { Environment = environment, Service = service }, ct)).Alarms
            .Where(a => a.Name != view.Name && service is not null).ToList();

        var pods = new Dictionary<string, InvestigatedPod>(StringComparer.Ordinal);
        if (environment is null || service is null)
        {
            problems.Add("The alarm is not placed in an environment and a service (see Alarms:Mapping), so there are no pods, logs or releases to show.");
        }
        else
        {
            await PodsAsync(who, environment, service, start, end, pods, timeline, problems, ct);
            await ErrorLinesAsync(who, environment, service, start, end, pods, timeline, problems, ct);
            await ReleasesAndJobsAsync(who, environment, service, start, end, timeline, ct);
        }

        if (environment is not null)
        {
            await TrailAsync(who, environment, service, start, end, timeline, problems, ct);
        }

        var serviceQuery = service is null ? "" : $"kubernetes.labels.app:\"{KqlEscape(service)}\"";
        return new Investigation(
            view, start, end,
            [.. pods.Values.OrderBy(p => p.Deleted).ThenByDescending(p => p.ErrorLines).ThenBy(p => p.Name, StringComparer.Ordinal)],
            [.. timeline.OrderBy(e => e.At)],
            related,
            LogsLink(serviceQuery, environment, start, end),
            LogsLink(serviceQuery.Length == 0 ? "level:(error or fatal)" : $"{serviceQuery} and level:(error or fatal)", environment, start, end),
            problems);
    }

    private async Task<IEnumerable<TimelineEntry>> AlarmHistoryAsync(AlarmView view, DateTimeOffset from, DateTimeOffset to, List<string> problems, CancellationToken ct)
    {
        try
        {
            var history = await source.HistoryAsync(view.Alarm, from, to, ct);
            return history.Where(h => h.Kind == AlarmHistoryKind.StateUpdate)
                .Select(h => new TimelineEntry(h.Timestamp, TimelineKind.AlarmState, h.Summary, view.Name, null, h.NewState == AlarmState.Alarm));
        }
        catch (AlarmSourceException ex)
        {
            problems.Add($"Alarm history: {ex.Message}");
            return [];
        }
    }

    private async Task PodsAsync(PortalPrincipal who, string environment, string service, DateTimeOffset from, DateTimeOffset to,
        Dictionary<string, InvestigatedPod> pods, List<TimelineEntry> timeline, List<string> problems, CancellationToken ct)
    {
        var (scope, refusal) = await workloads.OpenAsync(who, environment, Permissions.WorkloadsRead, ct);
        if (scope?.Cluster is not { } cluster)
        {
            problems.Add($"Pods: {refusal?.Describe() ?? $"Portal has no cluster named '{scope?.ClusterName}'."}");
            return;
        }

        try
        {
            var live = await cluster.Rest.ListPageAsync(ResourcePath.Pods(scope.Namespace), KubernetesJson.Default.KubeListPod, 500, null, $"app={service}", ct);
            foreach (var pod in live.Items)
            {
                var summary = PodSummary.Of(pod);
                pods[pod.Metadata.Name ?? ""] = new InvestigatedPod(pod.Metadata.Name ?? "", summary.Status, summary.Restarts, false, 0, null);
            }

            var events = await cluster.Rest.ListPageAsync(ResourcePath.Events(scope.Namespace), KubernetesJson.Default.KubeListEvent, 1000, null, null, ct);
            foreach (var e in events.Items.Where(e => e.InvolvedObject?.Kind == "Pod" && (e.InvolvedObject.Name ?? "").StartsWith(service + "-", StringComparison.Ordinal)))
            {
                var at = e.LastTimestamp ?? e.FirstTimestamp ?? e.Metadata.CreationTimestamp;
                if (at is not { } when || when < from || when > to)
                {
                    continue;
                }

                var name = e.InvolvedObject!.Name!;
                pods.TryAdd(name, new InvestigatedPod(name, "Deleted", null, true, 0, null));
                timeline.Add(new TimelineEntry(when, TimelineKind.PodEvent, $"{e.Reason}: {name}", e.Message, $"environments/{environment}/pods/{name}", e.Type == "Warning"));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            problems.Add($"Pods: {ClusterErrors.Describe(ex)}");
        }
    }

    private async Task ErrorLinesAsync(PortalPrincipal who, string environment, string service, DateTimeOffset from, DateTimeOffset to,
        Dictionary<string, InvestigatedPod> pods, List<TimelineEntry> timeline, List<string> problems, CancellationToken ct)
    {
        var input = new LogSearchInput
        {
            Query = $"kubernetes.labels.app:\"{KqlEscape(service)}\" and level:(error or fatal)",
            From = DiscoverState.FormatInstant(from),
            To = DiscoverState.FormatInstant(to),
            Environment = environment,
            Size = MaxErrorLines,
            Histogram = false,
        };
        var result = await logs.SearchAsync(who, input, ct);
        if (result is not ActionResult<LogSearchResponse>.Ok ok)
        {
            problems.Add($"Logs: {result.Describe()}");
            return;
        }

        foreach (var hit in ok.Value.Hits)
        {
            var pod = (hit.Source["kubernetes"] as JsonObject)?["pod_name"]?.GetValue<string>() ?? "(unknown pod)";
            var message = hit.Source["msg"]?.ToString() ?? hit.Source["log"]?.ToString() ?? "";
            var known = pods.GetValueOrDefault(pod) ?? new InvestigatedPod(pod, "Deleted", null, true, 0, null);
            pods[pod] = known with { ErrorLines = known.ErrorLines + 1, LastError = known.LastError ?? message };
        }

        timeline.AddRange(ok.Value.Hits.Take(MaxTimelineErrorLines).Select(hit => new TimelineEntry(
            hit.Timestamp, TimelineKind.ErrorLine,
            hit.Source["msg"]?.ToString() ?? hit.Source["log"]?.ToString() ?? "(no message)",
            (hit.Source["kubernetes"] as JsonObject)?["pod_name"]?.ToString(), null, true)));
    }

    private async Task ReleasesAndJobsAsync(PortalPrincipal who, string environment, string service, DateTimeOffset from, DateTimeOffset to,
        List<TimelineEntry> timeline, CancellationToken ct)
    {
        var releases = await deployments.ListAsync(who, environment, service, 100, ct) ?? [];
        foreach (var r in releases.Where(r => (r.FinishedAt ?? r.CreatedAt) >= from && r.CreatedAt <= to))
        {
            timeline.Add(new TimelineEntry(r.CreatedAt, TimelineKind.Release, $"{r.Kind} #{r.Number} of {r.Service}: {r.Spec.Version} ({r.State})",
                $"by {r.RequestedBy}{(r.Failure is { } why ? $" — {why}" : "")}", $"deployments/{environment}/{r.Id}", r.State == ReleaseState.Failed));
        }

        var page = await jobs.ListAsync(who, new JobQuery { Environment = environment, From = from, To = to, Take = 100 }, ct);
        foreach (var job in page.Items.Where(j => !(j.Kind == DeployJobKinds.Rollout && releases.Any(r => r.JobId == j.Id))))
        {
            timeline.Add(new TimelineEntry(job.CreatedAt, TimelineKind.Job, $"{jobs.Describe(job)} ({job.State})", $"by {job.RequestedBy}", $"jobs/{job.Id}", job.State == JobState.Failed));
        }
    }

    private async Task TrailAsync(PortalPrincipal who, string environment, string? service, DateTimeOffset from, DateTimeOffset to,
        List<TimelineEntry> timeline, List<string> problems, CancellationToken ct)
    {
        var env = (await actions.AllowedEnvironmentsAsync(who, Permissions.AuditRead, ct)).FirstOrDefault(e => e.Name == environment);
        if (env is null)
        {
            problems.Add($"Infrastructure changes: {AccessDecider.MissingRoleReason(Permissions.AuditRead, null).Replace("the organisation", environment, StringComparison.Ordinal)}");
            return;
        }

        try
        {
            var page = await trail.LookupAsync(environment, new TrailQuery { From = from, To = to, Limit = 200 }, ct);
            var ns = env.Namespace;
            bool Mentions(TrailEvent e, string what) => e.Resources.Any(r => (r.Name ?? "").Contains(what, StringComparison.Ordinal));

            // What touched the service or its namespace, always; the account's other changes (not reads), the newest
            // few: a security group or a database changed in the same minutes matters, a flood of unrelated ones does not.
            var about = page.Events.Where(e => (service is not null && Mentions(e, service)) || Mentions(e, ns + "/")).ToList();
            var others = page.Events.Except(about).Where(e => !e.ReadOnly).Take(MaxOtherTrailEvents);
            foreach (var e in about.Concat(others))
            {
                var resources = string.Join(", ", e.Resources.Select(r => r.Name).OfType<string>());
                var mentionsService = service is not null && Mentions(e, service);
                timeline.Add(new TimelineEntry(e.Time, TimelineKind.Trail, $"{e.EventName} by {e.Username ?? "(unknown)"}",
                    resources.Length > 0 ? $"{e.EventSource}: {resources}" : e.EventSource, $"environments/{environment}/trail", mentionsService && !e.ReadOnly));
            }
        }
        catch (AlarmSourceException ex)
        {
            problems.Add($"Infrastructure changes: {ex.Message}");
        }
    }

    private static string LogsLink(string query, string? environment, DateTimeOffset from, DateTimeOffset to) =>
        new DiscoverState { Query = query, From = DiscoverState.FormatInstant(from), To = DiscoverState.FormatInstant(to), Environment = environment }.ToRelativeUri();

    private static string KqlEscape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
