using System.Text.Json;
using Portal.Core.Costs;
using Portal.Core.Resources;
using Portal.Kubernetes.Deployments;
using Portal.Kubernetes.Model;

namespace Portal.Kubernetes.Costs;

/// <summary>
/// How one Kubernetes object reads for cost: a node's capacity and type, a claim's bound size, a Service or Ingress
/// as a network line, a pod's measured usage, and which object controls another.
/// </summary>
public static class CostObjects
{
    public const string InstanceTypeLabel = "node.kubernetes.io/instance-type";

    /// <summary>The label's name before Kubernetes 1.17; older nodes and some installers still set only this one.</summary>
    public const string BetaInstanceTypeLabel = "beta.kubernetes.io/instance-type";

    private const double BytesPerGiB = 1024d * 1024 * 1024;

    /// <summary>
    /// A node at its capacity, not its allocatable: the price buys the whole machine, and what the system keeps for
    /// itself is part of the cost of running pods there. A node that reports no capacity falls back to allocatable.
    /// </summary>
    public static NodeSnapshot Node(Node node)
    {
        var labels = node.Metadata.Labels;
        var type = labels?.GetValueOrDefault(InstanceTypeLabel) ?? labels?.GetValueOrDefault(BetaInstanceTypeLabel);
        string? Amount(string resource) => node.Status?.Capacity?.GetValueOrDefault(resource) ?? node.Status?.Allocatable?.GetValueOrDefault(resource);
        return new NodeSnapshot(
            node.Metadata.Name ?? "",
            string.IsNullOrEmpty(type) ? null : type,
            (double)(Quantity.TryParse(Amount("cpu")) ?? 0),
            (double)(Quantity.TryParse(Amount("memory")) ?? 0) / BytesPerGiB);
    }

    /// <summary>A claim bound to a volume, at the volume's size (which can exceed the request); null for any other claim.</summary>
    public static VolumeSnapshot? Volume(PersistentVolumeClaim claim)
    {
        if (claim.Status?.Phase != "Bound")
        {
            return null;
        }

        var size = Quantity.TryParse(claim.Status.Capacity?.GetValueOrDefault("storage"))
            ?? Quantity.TryParse(claim.Spec?.Resources?.Requests?.GetValueOrDefault("storage"))
            ?? 0;
        return new VolumeSnapshot(claim.Metadata.Namespace ?? "", claim.Metadata.Name ?? "", (double)size / BytesPerGiB);
    }

    /// <summary>A Service of type LoadBalancer (each one is a cloud load balancer billed by the hour); null for other types.</summary>
    public static NetworkSnapshot? LoadBalancer(Service service)
    {
        if (service.Spec is not { ValueKind: JsonValueKind.Object } spec || Str(spec, "type") != "LoadBalancer")
        {
            return null;
        }

        var name = service.Metadata.Name ?? "";
        return new NetworkSnapshot(service.Metadata.Namespace ?? "", name, NetworkKind.LoadBalancer, PortalService(service) ?? name);
    }

    /// <summary>An Ingress, charged to the service Portal labelled it with, else to the first Service it routes to.</summary>
    public static NetworkSnapshot Ingress(Ingress ingress) =>
        new(ingress.Metadata.Namespace ?? "", ingress.Metadata.Name ?? "", NetworkKind.Ingress, PortalService(ingress) ?? FirstBackend(ingress.Spec));

    /// <summary>A pod's usage summed over its containers: cores and GiB.</summary>
    public static (double CpuCores, double MemoryGiB) Usage(PodMetrics metrics) =>
        ((double)metrics.Containers.Sum(c => Quantity.TryParse(c.Usage?.GetValueOrDefault("cpu")) ?? 0),
         (double)metrics.Containers.Sum(c => Quantity.TryParse(c.Usage?.GetValueOrDefault("memory")) ?? 0) / BytesPerGiB);

    public static double GiB(decimal bytes) => (double)bytes / BytesPerGiB;

    /// <summary>The owner reference marked <c>controller: true</c>, if any: a pod's ReplicaSet, a ReplicaSet's Deployment.</summary>
    public static (string Kind, string Name, string? Uid)? Controller(KubeObject o)
    {
        if (o.Metadata.Extra?.TryGetValue("ownerReferences", out var owners) != true || owners.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var owner in owners.EnumerateArray())
        {
            if (owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty("controller", out var c) && c.ValueKind == JsonValueKind.True
                && Str(owner, "kind") is { } kind && Str(owner, "name") is { } name)
            {
                return (kind, name, Str(owner, "uid"));
            }
        }

        return null;
    }

    private static string? PortalService(KubeObject o) =>
        o.Metadata.Labels?.GetValueOrDefault(ServiceManifests.ServiceLabel) is { Length: > 0 } service ? service : null;

    private static string? FirstBackend(JsonElement? spec)
    {
        if (spec is not { ValueKind: JsonValueKind.Object } s)
        {
            return null;
        }

        if (s.TryGetProperty("rules", out var rules) && rules.ValueKind == JsonValueKind.Array)
        {
            foreach (var rule in rules.EnumerateArray())
            {
                if (rule.ValueKind == JsonValueKind.Object && rule.TryGetProperty("http", out var http) && http.ValueKind == JsonValueKind.Object
                    && http.TryGetProperty("paths", out var paths) && paths.ValueKind == JsonValueKind.Array)
                {
                    foreach (var path in paths.EnumerateArray())
                    {
                        if (path.ValueKind == JsonValueKind.Object && path.TryGetProperty("backend", out var backend) && BackendService(backend) is { } name)
                        {
                            return name;
                        }
                    }
                }
            }
        }

        return s.TryGetProperty("defaultBackend", out var fallback) ? BackendService(fallback) : null;
    }

    private static string? BackendService(JsonElement backend) =>
        backend.ValueKind == JsonValueKind.Object && backend.TryGetProperty("service", out var service) && service.ValueKind == JsonValueKind.Object
            ? Str(service, "name")
            : null;

    private static string? Str(JsonElement e, string property) =>
        e.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
