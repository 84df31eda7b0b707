namespace Portal.Core.Costs;

/// <summary>Where a cluster's usage figures come from. Without the metrics API, cost is requests only (and the page says so).</summary>
public enum UsageSource
{
    MetricsApi,
    RequestsOnly,
}

/// <summary>What one cluster runs at one moment, as far as cost is concerned.</summary>
public sealed record ClusterCostSnapshot(
    string Cluster,
    DateTimeOffset At,
    UsageSource Usage,
    IReadOnlyList<NodeSnapshot> Nodes,
    IReadOnlyList<PodSnapshot> Pods,
    IReadOnlyList<VolumeSnapshot> Volumes,
    IReadOnlyList<NetworkSnapshot> Network);

/// <summary>A node with its capacity (not allocatable: the price buys the whole machine).</summary>
public sealed record NodeSnapshot(string Name, string? InstanceType, double CpuCores, double MemoryGiB);

/// <summary>
/// A running pod bound to a node: requests summed over its containers, usage from the metrics API (null when the
/// cluster has none, or it has no figure for this pod yet). <see cref="Service"/> is the Deployment that owns it, if any.
/// </summary>
public sealed record PodSnapshot(
    string Namespace,
    string Name,
    string? Service,
    string Node,
    double CpuRequestCores,
    double MemoryRequestGiB,
    double? CpuUsageCores,
    double? MemoryUsageGiB);

/// <summary>A bound PersistentVolumeClaim and its capacity.</summary>
public sealed record VolumeSnapshot(string Namespace, string Name, double GiB);

public enum NetworkKind
{
    LoadBalancer,
    Ingress,
}

/// <summary>A Service of type LoadBalancer, or an Ingress.</summary>
public sealed record NetworkSnapshot(string Namespace, string Name, NetworkKind Kind, string? Service);

/// <summary>The port to the clusters: which there are, and what each runs now.</summary>
public interface ICostSnapshotSource
{
    IReadOnlyList<string> Clusters { get; }

    /// <summary>What the cluster runs now. Throws <see cref="CostSourceException"/> (with a plain message) when it cannot be read.</summary>
    Task<ClusterCostSnapshot> SnapshotAsync(string cluster, CancellationToken ct);
}

public sealed class CostSourceException(string message, Exception? inner = null) : Exception(message, inner);
