using Portal.Kubernetes.Cache;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;
using Portal.Web.Clusters;

namespace Portal.Web.Features.Workloads;

/// <summary>The shared caches the workload views and the API read.</summary>
public static class WorkloadCaches
{
    public static Lease<Pod> Pods(ClusterClient c) => c.Cache.Acquire(ResourcePath.Pods(), KubernetesJson.Default.Pod, KubernetesJson.Default.KubeListPod);

    public static Lease<Deployment> Deployments(ClusterClient c) => c.Cache.Acquire(ResourcePath.Deployments(), KubernetesJson.Default.Deployment, KubernetesJson.Default.KubeListDeployment);

    public static Lease<Node> Nodes(ClusterClient c) => c.Cache.Acquire(ResourcePath.Nodes(), KubernetesJson.Default.Node, KubernetesJson.Default.KubeListNode);

    public static Lease<Namespace> Namespaces(ClusterClient c) => c.Cache.Acquire(ResourcePath.Namespaces(), KubernetesJson.Default.Namespace, KubernetesJson.Default.KubeListNamespace);

    public static Lease<Event> Events(ClusterClient c) => c.Cache.Acquire(ResourcePath.Events(), KubernetesJson.Default.Event, KubernetesJson.Default.KubeListEvent);

    /// <summary>The items of one namespace, once the cache has its first list (or a 503-worthy failure after a wait).</summary>
    public static async Task<IReadOnlyList<T>> SnapshotAsync<T>(Lease<T> lease, string ns, TimeSpan wait, CancellationToken ct)
        where T : KubeObject
    {
        try
        {
            await lease.Informer.WaitForSyncAsync(ct).WaitAsync(wait, ct);
        }
        catch (TimeoutException)
        {
            throw new Portal.Core.Actions.DependencyUnavailableException(lease.Informer.Health.Error ?? "the cluster did not answer in time");
        }

        return [.. lease.Informer.Items.Values.Where(o => o.Metadata.Namespace == ns).OrderBy(o => o.Metadata.Name, StringComparer.Ordinal)];
    }
}

/// <summary>One pod as lists show it (computed once per change, so sorting and filtering 10,000 rows stays cheap).</summary>
public sealed record PodRow(
    string Name, string Status, string Phase, int ReadyContainers, int TotalContainers, int Restarts, DateTimeOffset? LastRestart,
    string? Node, string? Ip, DateTimeOffset? CreatedAt, string? Owner, bool Healthy)
{
    public string Ready => $"{ReadyContainers}/{TotalContainers}";

    public static PodRow From(Pod pod)
    {
        var s = PodSummary.Of(pod);
        // The controlling ReplicaSet, if any (pods of StatefulSets, Jobs or DaemonSets have no deployment).
        var owner = pod.Metadata.Extra is { } extra && extra.TryGetValue("ownerReferences", out var refs) && refs.ValueKind == System.Text.Json.JsonValueKind.Array
            ? refs.EnumerateArray().Where(r => r.TryGetProperty("kind", out var k) && k.GetString() == "ReplicaSet" && r.TryGetProperty("controller", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.True)
                .Select(r => r.GetProperty("name").GetString()).FirstOrDefault()
            : null;
        return new PodRow(pod.Metadata.Name ?? "", s.Status, pod.Status?.Phase ?? "Unknown", s.ReadyContainers, s.TotalContainers, s.Restarts, s.LastRestart,
            pod.Spec?.NodeName, pod.Status?.PodIP, pod.Metadata.CreationTimestamp, owner, s.IsHealthy);
    }

    /// <summary>The deployment a pod belongs to: its ReplicaSet's name without the template hash.</summary>
    public string? Deployment => Owner is { } rs && rs.LastIndexOf('-') is > 0 and var i ? rs[..i] : null;
}

/// <summary>One deployment as lists show it, with its rollout state in Argo CD's and kubectl's terms.</summary>
public sealed record DeploymentRow(
    string Name, int Desired, int Updated, int Ready, int Available, string Rollout, string? RolloutMessage,
    IReadOnlyList<string> Images, DateTimeOffset? CreatedAt, string? Revision)
{
    public static DeploymentRow From(Deployment d)
    {
        var desired = d.Spec?.Replicas ?? 1;
        var status = d.Status;
        var progressing = status?.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
        var available = status?.Conditions?.FirstOrDefault(c => c.Type == "Available");
        var updated = status?.UpdatedReplicas ?? 0;
        var availableCount = status?.AvailableReplicas ?? 0;
        var observed = status?.ObservedGeneration is { } g && g >= (d.Metadata.Extra is { } e && e.TryGetValue("generation", out var gen) ? gen.GetInt64() : 0);
        var rollout = (d.Spec?.Paused ?? false) ? "Paused"
            : progressing?.Reason == "ProgressDeadlineExceeded" ? "Failed"
            : observed && updated == desired && (status?.Replicas ?? 0) == desired && availableCount == desired ? "Complete"
            : available is { IsTrue: false } ? "Degraded"
            : "Progressing";
        var revision = d.Metadata.Annotations?.GetValueOrDefault("deployment.kubernetes.io/revision");
        return new DeploymentRow(d.Metadata.Name ?? "", desired, updated, status?.ReadyReplicas ?? 0, availableCount, rollout, progressing?.Message,
            [.. d.Spec?.Template?.Spec?.Containers.Select(c => c.Image ?? "") ?? []], d.Metadata.CreationTimestamp, revision);
    }
}
