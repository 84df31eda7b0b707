using Portal.Core.Environments;

namespace Portal.Core.Costs;

/// <summary>
/// One UTC day. <see cref="Total"/> is null when no sample covers any of its hours: a gap, drawn as a gap, never as
/// zero. <see cref="CoveredHours"/> below 24 (or below the hours elapsed, today) marks a partial day.
/// </summary>
public sealed record DailyCost(
    DateOnly Day,
    decimal? Total,
    double CoveredHours,
    IReadOnlyDictionary<string, decimal> ByKey,
    IReadOnlyDictionary<CostResource, decimal> ByResource);

/// <summary>
/// The month so far and where it is heading. Forecast = month-to-date + the hourly run rate (the covered hours of the
/// last 7 days, or fewer if that is all there is) × the hours left in the month; null with no sample at all.
/// Budget 0 means none is set. Change = forecast against last month's total, null without either.
/// </summary>
public sealed record MonthCost(
    string Month,
    decimal MonthToDate,
    decimal? Forecast,
    decimal Budget,
    decimal? LastMonth,
    double? ChangeFromLastMonth)
{
    public bool HasBudget => Budget > 0;

    /// <summary>Month-to-date over budget.</summary>
    public bool Over => HasBudget && MonthToDate > Budget;

    /// <summary>The forecast over budget (and month-to-date not yet).</summary>
    public bool ForecastOver => HasBudget && !Over && Forecast > Budget;

    /// <summary>Month-to-date as a share of the budget (0.8 = 80 %), null without a budget.</summary>
    public double? BudgetUsed => HasBudget ? (double)(MonthToDate / Budget) : null;
}

/// <summary>One row of a breakdown: a service, an environment or a team, with its split by resource.</summary>
public sealed record CostRow(string Key, decimal Total, IReadOnlyDictionary<CostResource, decimal> ByResource)
{
    public decimal Of(CostResource resource) => ByResource.TryGetValue(resource, out var v) ? v : 0m;
}

/// <summary>An environment's costs over a range of days (GET /api/v1/environments/{env}/costs, its page).</summary>
public sealed record EnvironmentCostReport(
    PortalEnvironment Environment,
    DateOnly From,
    DateOnly To,
    string Currency,
    UsageSource? Usage,
    bool IdleShared,
    decimal? Total,
    IReadOnlyList<DailyCost> Days,
    IReadOnlyList<CostRow> Services,
    MonthCost Month);

public enum CostGrouping
{
    Environment,
    Service,
    Team,
}

/// <summary>
/// Costs rolled up by environment, service or team over a range of days (GET /api/v1/costs, the organisation and team
/// views). <see cref="Unattributed"/> is what ran in namespaces that are no environment of Portal's (kube-system, say),
/// plus idle when it is not shared. <see cref="Usage"/> says, per cluster read, where its newest sample in the range
/// took usage from.
/// </summary>
public sealed record CostSummary(
    CostGrouping GroupBy,
    DateOnly From,
    DateOnly To,
    string Currency,
    decimal? Total,
    IReadOnlyList<DailyCost> Days,
    IReadOnlyList<CostRow> Rows,
    IReadOnlyDictionary<string, MonthCost> Months,
    CostRow? Unattributed,
    IReadOnlyDictionary<string, UsageSource> Usage);

/// <summary>How one figure was computed: the records behind it, and the idle share when idle is shared.</summary>
public sealed record CostExplanation(
    string Environment,
    DateTimeOffset From,
    DateTimeOffset To,
    string? Service,
    CostResource? Resource,
    string Currency,
    IReadOnlyList<CostRecord> Records,
    IReadOnlyList<IdleShareLine> IdleShares,
    decimal Total);

/// <summary>One cluster-hour's idle: nodes' cost, pods' allocated cost, and this environment's share of the difference.</summary>
public sealed record IdleShareLine(DateTimeOffset Hour, string Cluster, decimal NodeCost, decimal AllocatedCost, decimal EnvironmentAllocated, decimal Share);

/// <summary>Why an environment counts as idle (or not): days since its last deploy, and its pods' CPU use against requests.</summary>
public sealed record IdleVerdict(bool Idle, DateTimeOffset? LastDeployAt, double DaysSinceDeploy, double? CpuUsageShare, string Reason);

/// <summary>The last deploy to an environment.</summary>
public sealed record LastDeploy(string Service, string Version, string By, DateTimeOffset At, string State);

/// <summary>
/// One row of the status overview (GET /api/v1/status): health, last deploy, cost against budget, time left and
/// idleness. A part that could not be read is null, and <see cref="Problems"/> says why.
/// </summary>
public sealed record EnvironmentStatusRow(
    PortalEnvironment Environment,
    int? PodsReady,
    int? PodsDesired,
    int? AlarmsFiring,
    LastDeploy? LastDeploy,
    MonthCost? Month,
    TimeSpan? TimeLeft,
    IdleVerdict? Idle,
    IReadOnlyList<string> Problems)
{
    /// <summary>Healthy, degraded (some pods not ready or an alarm firing), down (no pod ready of some desired), or unknown.</summary>
    public EnvironmentHealth Health => PodsReady is null || PodsDesired is null
        ? EnvironmentHealth.Unknown
        : PodsDesired > 0 && PodsReady == 0 ? EnvironmentHealth.Down
        : PodsReady < PodsDesired || AlarmsFiring > 0 ? EnvironmentHealth.Degraded
        : EnvironmentHealth.Healthy;
}

public enum EnvironmentHealth
{
    Healthy,
    Degraded,
    Down,
    Unknown,
}
