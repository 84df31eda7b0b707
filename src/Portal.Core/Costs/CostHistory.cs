using Portal.Core.Environments;

namespace Portal.Core.Costs;

/// <summary>
/// What the cost services read from the store, and how a record finds its environment. Totals are read per cluster
/// with every namespace and the nodes, never narrowed to one environment: idle is the nodes' cost minus what all pods
/// were allocated, so a narrowed read would make every environment's idle share wrong.
/// </summary>
internal static class CostHistory
{
    /// <summary>The key of records that belong to no service (volumes, the shared amount, pods no Deployment owns).</summary>
    public const string NoService = "(no service)";

    public static async Task<CostInputs> LoadAsync(CostInputsCache cache, IEnumerable<string> clusters, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var parts = new List<CostInputs>();
        foreach (var cluster in clusters.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            parts.Add(await cache.LoadAsync(cluster, from, to, ct));
        }

        return parts.Count == 1 ? parts[0] : new CostInputs([.. parts.SelectMany(p => p.Totals)], [.. parts.SelectMany(p => p.Slots)]);
    }

    /// <summary>
    /// What a month figure needs: last month (its total, and the run rate's 7 days early in a month) and this month.
    /// </summary>
    public static Task<CostInputs> MonthAsync(CostInputsCache cache, IEnumerable<string> clusters, DateTimeOffset now, CancellationToken ct)
    {
        var first = CostTime.MonthStart(now);
        return LoadAsync(cache, clusters, first.AddMonths(-1), first.AddMonths(1), ct);
    }

    /// <summary>
    /// The inputs split by cluster: idle is computed per cluster-hour, so one environment's figures need only its own
    /// cluster's records, and computing each environment over every cluster's would multiply the work by their number.
    /// </summary>
    public static Func<string, CostInputs> ByCluster(CostInputs inputs)
    {
        var totals = inputs.Totals.ToLookup(r => r.Cluster, StringComparer.Ordinal);
        var slots = inputs.Slots.ToLookup(s => s.Cluster, StringComparer.Ordinal);
        var split = new Dictionary<string, CostInputs>(StringComparer.Ordinal);
        return cluster => split.TryGetValue(cluster, out var own) ? own : split[cluster] = new CostInputs([.. totals[cluster]], [.. slots[cluster]]);
    }

    /// <summary>[from 00:00, the day after to 00:00) in UTC.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Range(DateOnly from, DateOnly to) =>
        (CostTime.DayStart(from), CostTime.DayStart(to.AddDays(1)));

    /// <summary>
    /// The environment a record belongs to, by its cluster and namespace. Gone environments are included: their
    /// history stays theirs, and Portal never gives a namespace to a second environment.
    /// </summary>
    public static Func<CostRecord, PortalEnvironment?> OwnerOf(IEnumerable<PortalEnvironment> environments)
    {
        var byNamespace = new Dictionary<(string Cluster, string Namespace), PortalEnvironment>();
        foreach (var environment in environments)
        {
            byNamespace.TryAdd((environment.Cluster, environment.Namespace), environment);
        }

        return r => r.Subject != CostSubject.Node && byNamespace.TryGetValue((r.Cluster, r.Namespace), out var e) ? e : null;
    }

    /// <summary>Only this environment's records, under one key (for its month figure).</summary>
    public static Func<CostRecord, string?> Only(PortalEnvironment environment) =>
        r => r.Subject != CostSubject.Node && r.Cluster == environment.Cluster && r.Namespace == environment.Namespace ? environment.Name : null;
}
