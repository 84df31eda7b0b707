using System.Net;
using System.Text.Json.Serialization.Metadata;
using Portal.Core.Costs;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;

namespace Portal.Kubernetes.Costs;

/// <summary>
/// What one cluster runs now, as far as cost is concerned (issue 9, OpenCost's allocation inputs): its nodes, the
/// running pods bound to them with their requests, owning Deployment and usage, bound claims, load balancers and
/// ingresses. Usage comes from <c>metrics.k8s.io</c>; a cluster without it (404, or 503 from an unhealthy metrics
/// server) is read as <see cref="UsageSource.RequestsOnly"/> rather than failing, so costs still work without it.
/// </summary>
public sealed class KubernetesCostSnapshots(TimeProvider clock)
{
    public static readonly ResourcePath ReplicaSets = new("apps", "v1", "replicasets");
    public static readonly ResourcePath Services = new("", "v1", "services");
    public static readonly ResourcePath Ingresses = new("networking.k8s.io", "v1", "ingresses");
    public static readonly ResourcePath PersistentVolumeClaims = new("", "v1", "persistentvolumeclaims");
    public static readonly ResourcePath PodMetrics = new("metrics.k8s.io", "v1beta1", "pods");

    /// <summary>Reads the cluster. Failures of the API (other than the metrics API being absent) are thrown as they come.</summary>
    public async Task<ClusterCostSnapshot> SnapshotAsync(string cluster, KubernetesRestClient client, CancellationToken ct)
    {
        var at = clock.GetUtcNow();
        var nodes = ListAsync(client, ResourcePath.Nodes(), KubernetesJson.Default.KubeListNode, ct);
        var pods = ListAsync(client, ResourcePath.Pods(), KubernetesJson.Default.KubeListPod, ct);
        var replicaSets = ListAsync(client, ReplicaSets, KubernetesJson.Default.KubeListReplicaSet, ct);
        var claims = ListAsync(client, PersistentVolumeClaims, CostJson.Default.KubeListPersistentVolumeClaim, ct);
        var services = ListAsync(client, Services, KubernetesJson.Default.KubeListService, ct);
        var ingresses = ListAsync(client, Ingresses, KubernetesJson.Default.KubeListIngress, ct);
        var usage = UsageAsync(client, ct);
        await Task.WhenAll(nodes, pods, replicaSets, claims, services, ingresses, usage);

        var deployments = (await replicaSets)
            .Where(rs => rs.Metadata.Uid is not null)
            .ToDictionary(rs => rs.Metadata.Uid!, rs => CostObjects.Controller(rs) is ("Deployment", var name, _) ? name : null, StringComparer.Ordinal);
        var measured = await usage;
        var running = (await pods)
            .Where(p => p.Status?.Phase == "Running" && !string.IsNullOrEmpty(p.Spec?.NodeName))
            .Select(p => Pod(p, deployments, measured));

        return new ClusterCostSnapshot(
            cluster,
            at,
            measured is null ? UsageSource.RequestsOnly : UsageSource.MetricsApi,
            [.. (await nodes).Select(CostObjects.Node).OrderBy(n => n.Name, StringComparer.Ordinal)],
            [.. running.OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)],
            [.. (await claims).Select(CostObjects.Volume).OfType<VolumeSnapshot>().OrderBy(v => v.Namespace, StringComparer.Ordinal).ThenBy(v => v.Name, StringComparer.Ordinal)],
            [.. (await services).Select(CostObjects.LoadBalancer).OfType<NetworkSnapshot>().Concat((await ingresses).Select(CostObjects.Ingress))
                .OrderBy(n => n.Namespace, StringComparer.Ordinal).ThenBy(n => n.Kind).ThenBy(n => n.Name, StringComparer.Ordinal)]);
    }

    private static PodSnapshot Pod(Pod pod, Dictionary<string, string?> deploymentOfReplicaSet, Dictionary<(string, string), (double Cpu, double Memory)>? measured)
    {
        var ns = pod.Metadata.Namespace ?? "";
        var name = pod.Metadata.Name ?? "";
        var (cpu, memory) = PodRequests.Of(pod.Spec!);
        var service = CostObjects.Controller(pod) is ("ReplicaSet", _, { } uid) ? deploymentOfReplicaSet.GetValueOrDefault(uid) : null;
        (double Cpu, double Memory)? used = measured?.TryGetValue((ns, name), out var u) == true ? u : null;
        return new PodSnapshot(ns, name, service, pod.Spec!.NodeName!, (double)cpu, CostObjects.GiB(memory), used?.Cpu, used?.Memory);
    }

    /// <summary>Usage per pod (namespace, name); null when the cluster serves no metrics API.</summary>
    private static async Task<Dictionary<(string, string), (double Cpu, double Memory)>?> UsageAsync(KubernetesRestClient client, CancellationToken ct)
    {
        try
        {
            var usage = new Dictionary<(string, string), (double Cpu, double Memory)>();
            await foreach (var metrics in client.ListAllAsync(PodMetrics, KubernetesJson.Default.KubeListPodMetrics, ct: ct))
            {
                usage[(metrics.Metadata.Namespace ?? "", metrics.Metadata.Name ?? "")] = CostObjects.Usage(metrics);
            }

            return usage;
        }
        catch (KubernetesApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.ServiceUnavailable)
        {
            // 404: no metrics API registered (no metrics-server). 503: registered, but its server does not answer.
            return null;
        }
    }

    private static async Task<List<T>> ListAsync<T>(KubernetesRestClient client, ResourcePath path, JsonTypeInfo<KubeList<T>> type, CancellationToken ct)
        where T : KubeObject
    {
        var items = new List<T>();
        await foreach (var item in client.ListAllAsync(path, type, ct: ct))
        {
            items.Add(item);
        }

        return items;
    }
}
