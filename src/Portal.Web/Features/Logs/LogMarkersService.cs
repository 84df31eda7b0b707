using System.Globalization;
using Portal.Core.Actions;
using Portal.Core.Deployments;
using Portal.Kubernetes.Model;
using Portal.Web.Clusters;
using Portal.Web.Features.Workloads;

namespace Portal.Web.Features.Logs;

/// <summary>Something that happened at one instant, drawn over the histogram: a deploy or a pod restart.</summary>
/// <param name="Kind"><see cref="LogMarkersService.Deploy"/> or <see cref="LogMarkersService.Restart"/>.</param>
/// <param name="Link">The release's or the pod's page, relative to the base path.</param>
public sealed record LogMarker(DateTimeOffset At, string Kind, string Label, string? Link);

/// <summary>
/// What explains a spike in the logs: Portal's own releases (started and finished) and the pods' restarts (a
/// container's last termination, the BackOff and Killing events) in the searched environments and range. A cluster
/// that does not answer only costs its restart markers.
/// </summary>
public sealed class LogMarkersService(IUnitOfWorkFactory units, ClusterRegistry clusters, ILogger<LogMarkersService> logger)
{
    public const string Deploy = "deploy";
    public const string Restart = "restart";

    /// <summary>How long a cold pod or event cache may take to list before its markers are left out.</summary>
    public static readonly TimeSpan CacheWait = TimeSpan.FromSeconds(3);

    /// <summary>The most markers returned, newest kept: beyond that they would be a solid block over the chart.</summary>
    public const int MaxMarkers = 200;

    private static readonly string[] RestartReasons = ["BackOff", "Killing"];

    /// <summary>The markers in [<paramref name="from"/>, <paramref name="to"/>] of environments the caller already may read the logs of.</summary>
    public async Task<IReadOnlyList<LogMarker>> ListAsync(IReadOnlyList<PortalEnvironment> environments, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var markers = new List<LogMarker>();
        await using (var work = units.Begin())
        {
            foreach (var env in environments)
            {
                var releases = await work.Releases.ListAsync(new ReleaseQuery { Environment = env.Name, Take = 500 }, ct);
                markers.AddRange(FromReleases(releases, from, to));
            }
        }

        foreach (var env in environments)
        {
            markers.AddRange(await RestartsAsync(env, from, to, ct));
        }

        return [.. markers.OrderByDescending(m => m.At).Take(MaxMarkers).OrderBy(m => m.At)];
    }

    /// <summary>A marker where a release started rolling out and one where it finished, each when in the range.</summary>
    public static IEnumerable<LogMarker> FromReleases(IEnumerable<Release> releases, DateTimeOffset from, DateTimeOffset to)
    {
        foreach (var r in releases)
        {
            var link = $"deployments/{Uri.EscapeDataString(r.Environment)}/{r.Id}";
            var what = $"{r.Service} #{r.Number.ToString(CultureInfo.InvariantCulture)} ({r.Spec.Version}) in {r.Environment}";
            if (r.StartedAt is { } started && started >= from && started <= to)
            {
                yield return new LogMarker(started, Deploy, $"Deploy started: {what}", link);
            }

            if (r.FinishedAt is { } finished && finished >= from && finished <= to)
            {
                yield return new LogMarker(finished, Deploy, $"Deploy {r.State.ToString().ToLowerInvariant()}: {what}", link);
            }
        }
    }

    /// <summary>
    /// Restarts in the range of one environment's pods: each container's last termination, and BackOff and Killing
    /// events (at their last occurrence); an event at the same instant as a termination of the same pod is left out.
    /// </summary>
    public static IEnumerable<LogMarker> FromPods(string environment, IEnumerable<Pod> pods, IEnumerable<Event> events, DateTimeOffset from, DateTimeOffset to)
    {
        var seen = new HashSet<(string Pod, DateTimeOffset At)>();
        var markers = new List<LogMarker>();
        foreach (var pod in pods)
        {
            var name = pod.Metadata.Name ?? "";
            foreach (var c in pod.Status?.ContainerStatuses ?? [])
            {
                if (c.LastState?.Terminated is { FinishedAt: { } at } t && at >= from && at <= to && seen.Add((name, at)))
                {
                    var why = t.Reason is { Length: > 0 } reason ? reason : "terminated";
                    markers.Add(new LogMarker(at, Restart, $"Restart: {name}/{c.Name} ({why}, exit code {t.ExitCode.ToString(CultureInfo.InvariantCulture)})", PodLink(environment, name)));
                }
            }
        }

        foreach (var e in events)
        {
            var name = e.InvolvedObject?.Name ?? "";
            if (e.InvolvedObject?.Kind != "Pod" || !RestartReasons.Contains(e.Reason) || (e.LastTimestamp ?? e.FirstTimestamp) is not { } at
                || at < from || at > to || !seen.Add((name, at)))
            {
                continue;
            }

            markers.Add(new LogMarker(at, Restart, $"{e.Reason}: {name}: {e.Message}", PodLink(environment, name)));
        }

        return markers;
    }

    public static string PodLink(string environment, string pod) => $"environments/{Uri.EscapeDataString(environment)}/pods/{Uri.EscapeDataString(pod)}";

    private async Task<IEnumerable<LogMarker>> RestartsAsync(PortalEnvironment env, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        try
        {
            if (await clusters.GetAsync(env.Cluster, ct) is not { } cluster)
            {
                return [];
            }

            using var podLease = WorkloadCaches.Pods(cluster);
            using var eventLease = WorkloadCaches.Events(cluster);
            var pods = await WorkloadCaches.SnapshotAsync(podLease, env.Namespace, CacheWait, ct);
            var events = await WorkloadCaches.SnapshotAsync(eventLease, env.Namespace, CacheWait, ct);
            return FromPods(env.Name, pods, events, from, to);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The histogram is still worth showing without the restarts of a cluster that is down.
            logger.LogInformation(ex, "No restart markers for environment {Environment}", env.Name);
            return [];
        }
    }
}
