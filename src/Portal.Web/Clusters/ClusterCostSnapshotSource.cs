using Portal.Core.Actions;
using Portal.Core.Costs;
using Portal.Kubernetes.Cache;
using Portal.Kubernetes.Costs;

namespace Portal.Web.Clusters;

/// <summary>
/// Core's port to the clusters for costs, over the clusters Portal knows (<see cref="ClusterRegistry"/>). A cluster
/// that cannot be read becomes a <see cref="CostSourceException"/> worded as the cluster banner words it, so the
/// sampling job can skip it, log it and go on with the others.
/// </summary>
public sealed class ClusterCostSnapshotSource(ClusterRegistry clusters, TimeProvider clock) : ICostSnapshotSource
{
    private readonly KubernetesCostSnapshots _snapshots = new(clock);

    public IReadOnlyList<string> Clusters => clusters.Names;

    public async Task<ClusterCostSnapshot> SnapshotAsync(string cluster, CancellationToken ct)
    {
        ClusterClient client;
        try
        {
            client = await clusters.GetAsync(cluster, ct) ?? throw new CostSourceException($"Portal has no cluster named '{cluster}'.");
        }
        catch (DependencyUnavailableException ex)
        {
            throw new CostSourceException(ex.Message, ex);
        }

        try
        {
            return await _snapshots.SnapshotAsync(cluster, client.Rest, ct);
        }
        catch (Exception ex) when (ex is not CostSourceException && !ct.IsCancellationRequested)
        {
            throw new CostSourceException($"Portal could not read cluster '{cluster}' for costs: {ClusterErrors.Describe(ex)}.", ex);
        }
    }
}
