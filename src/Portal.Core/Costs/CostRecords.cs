namespace Portal.Core.Costs;

/// <summary>What a stored cost record is about.</summary>
public enum CostSubject
{
    Pod,
    Node,
    Volume,
    LoadBalancer,
    Ingress,

    /// <summary>The environment's share of shared services (<see cref="ClusterPrices.SharedMonthlyPerEnvironment"/>).</summary>
    Shared,
}

/// <summary>The resources a cost is split by on the charts. Idle is the part of the nodes no pod was allocated.</summary>
public enum CostResource
{
    Cpu,
    Memory,
    Storage,
    Network,
    Shared,
    Idle,
}

/// <summary>
/// One subject's cost within one UTC hour of one cluster, summed over the samples taken in that hour. Quantities are
/// amounts × hours: a pod requesting 0.5 core seen in six 5-minute samples has <see cref="CpuRequestCoreHours"/> 0.25.
/// Allocated = max(request, usage) per sample (usage unknown: request). Prices are those of the hour's last sample.
/// For a node, the CPU and memory fields are its capacity; for a volume, <see cref="Quantity"/> is GiB-hours; for a
/// load balancer, ingress or shared line, <see cref="Quantity"/> is hours.
/// </summary>
public sealed record CostRecord
{
    public required DateTimeOffset Hour { get; init; }
    public required string Cluster { get; init; }
    public required CostSubject Subject { get; init; }

    /// <summary>The namespace; empty for nodes.</summary>
    public required string Namespace { get; init; }

    /// <summary>The pod, node, claim, Service or Ingress name; for shared lines the namespace.</summary>
    public required string Name { get; init; }

    /// <summary>The owning Deployment (pods; the backing Service for network), if any.</summary>
    public string? Service { get; init; }

    /// <summary>A pod's node; a node's instance type.</summary>
    public string? Detail { get; init; }

    /// <summary>How long the subject was seen in this hour (sum of the slots that saw it), at most 1.</summary>
    public double Hours { get; init; }

    public double CpuRequestCoreHours { get; init; }
    public double? CpuUsageCoreHours { get; init; }
    public double CpuAllocatedCoreHours { get; init; }
    public double MemoryRequestGiBHours { get; init; }
    public double? MemoryUsageGiBHours { get; init; }
    public double MemoryAllocatedGiBHours { get; init; }
    public double Quantity { get; init; }

    /// <summary>Per core-hour, per GiB-hour, and the unit price of <see cref="Quantity"/> (per GiB-hour or per hour; a node's hourly price).</summary>
    public decimal CpuPrice { get; init; }
    public decimal MemoryPrice { get; init; }
    public decimal UnitPrice { get; init; }

    public decimal CpuCost { get; init; }
    public decimal MemoryCost { get; init; }

    /// <summary>Storage, network or shared cost (and a node's whole price × hours).</summary>
    public decimal OtherCost { get; init; }

    public decimal Total => CpuCost + MemoryCost + OtherCost;
}

/// <summary>
/// One sampling slot of one cluster: that it was sampled, when, and from what usage. A slot without a row is a gap
/// (shown as a gap, never as zero). The slot's start is a multiple of the sample interval.
/// </summary>
public sealed record CostSlot(string Cluster, DateTimeOffset Start, TimeSpan Length, UsageSource Usage, DateTimeOffset SampledAt);

/// <summary>Which records to read: a range of hours [From, To), optionally one cluster, some namespaces, one service, some subjects.</summary>
public sealed record CostQuery(DateTimeOffset From, DateTimeOffset To)
{
    public string? Cluster { get; init; }
    public IReadOnlyCollection<string>? Namespaces { get; init; }
    public string? Service { get; init; }
    public IReadOnlyCollection<CostSubject>? Subjects { get; init; }
}

/// <summary>
/// Per hour, cluster, namespace, service and subject kind: the records summed (<see cref="CostRecord.Name"/> and
/// <see cref="CostRecord.Detail"/> empty; prices those of any record). What reports are computed from.
/// </summary>
public interface ICostStore
{
    /// <summary>
    /// Records one sample: claims the slot and adds the records into their hours, in one transaction. False (and
    /// nothing written) when the slot was already sampled, by another replica or before a restart.
    /// </summary>
    Task<bool> RecordSampleAsync(CostSlot slot, IReadOnlyList<CostRecord> records, CancellationToken ct);

    /// <summary>The records themselves, for "how was this computed". Bounded by the query's range; newest hour first.</summary>
    Task<IReadOnlyList<CostRecord>> RecordsAsync(CostQuery query, CancellationToken ct);

    /// <summary>The records summed per hour, cluster, namespace, service and subject kind.</summary>
    Task<IReadOnlyList<CostRecord>> TotalsAsync(CostQuery query, CancellationToken ct);

    Task<IReadOnlyList<CostSlot>> SlotsAsync(DateTimeOffset from, DateTimeOffset to, string? cluster, CancellationToken ct);

    /// <summary>
    /// How many slots the cluster has, and the newest sampling time: records only change when a slot is claimed, so
    /// what was read under the same version is still what the store holds. One index read.
    /// </summary>
    Task<CostStoreVersion> VersionAsync(string cluster, CancellationToken ct);
}

/// <summary>A cluster's records as of <see cref="Slots"/> claimed slots, the last sampled at <see cref="LastSampledAt"/>.</summary>
public readonly record struct CostStoreVersion(long Slots, DateTimeOffset? LastSampledAt);

/// <summary>A team's monthly budget.</summary>
public sealed record TeamBudget(string Team, decimal MonthlyBudget, string UpdatedBy, DateTimeOffset UpdatedAt, int Version);

public enum BudgetScope
{
    Environment,
    Team,
}

public enum BudgetBasis
{
    /// <summary>Month-to-date cost crossed the threshold.</summary>
    Actual,

    /// <summary>The forecast to month end crossed it.</summary>
    Forecast,
}

/// <summary>
/// A month's budget crossed a threshold (80 or 100 %), actually or by forecast. Raised once per scope, month,
/// threshold and basis; audited.
/// </summary>
public sealed record BudgetNotice(
    Guid Id, BudgetScope Scope, string Name, string Month, int ThresholdPercent, BudgetBasis Basis, decimal Amount, decimal Budget, DateTimeOffset RaisedAt);

/// <summary>Team budgets and budget notices, changed in a unit of work (so the change and its audit record commit together).</summary>
public interface IBudgetRepository
{
    Task<IReadOnlyList<TeamBudget>> TeamBudgetsAsync(CancellationToken ct);

    /// <summary>Creates or replaces; <paramref name="expectedVersion"/> (when given) guards against a lost update.</summary>
    void SetTeamBudget(TeamBudget budget, int? expectedVersion);

    void RemoveTeamBudget(string team);

    /// <summary>The notices of a month ("2026-11"), or of all months when null.</summary>
    Task<IReadOnlyList<BudgetNotice>> NoticesAsync(string? month, CancellationToken ct);

    /// <summary>Adds a notice; a second one for the same scope, name, month, threshold and basis is a conflict at commit.</summary>
    void AddNotice(BudgetNotice notice);
}
