using System.Collections.Concurrent;
using Portal.Core.Costs;

namespace Portal.Web.Tests.Features.Costs.Core;

/// <summary>
/// The clusters as a test sets them: each cluster's snapshot, or the reason it cannot be read. No cluster until a
/// test adds one, so a sampling run the app starts by itself finds nothing to sample.
/// </summary>
public sealed class ScriptedCostSource : ICostSnapshotSource
{
    private readonly ConcurrentDictionary<string, ClusterCostSnapshot> _snapshots = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, string> Failures { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Clusters => [.. _snapshots.Keys.Concat(Failures.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public void Set(ClusterCostSnapshot snapshot) => _snapshots[snapshot.Cluster] = snapshot;

    public Task<ClusterCostSnapshot> SnapshotAsync(string cluster, CancellationToken ct) =>
        Failures.TryGetValue(cluster, out var problem)
            ? Task.FromException<ClusterCostSnapshot>(new CostSourceException(problem))
            : Task.FromResult(_snapshots[cluster]);

    /// <summary>One m5.xlarge node running one pod per namespace given (1 core and 2 GiB requested, half of each used).</summary>
    public static ClusterCostSnapshot OnePodEach(string cluster, DateTimeOffset at, params string[] namespaces) => new(
        cluster, at, UsageSource.MetricsApi,
        [new NodeSnapshot("node-1", "m5.xlarge", 4, 16)],
        [.. namespaces.Select(ns => new PodSnapshot(ns, $"web-{ns}", "web", "node-1", 1, 2, 0.5, 1))],
        [],
        []);
}
