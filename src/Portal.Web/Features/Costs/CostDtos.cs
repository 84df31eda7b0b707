using Portal.Core.Costs;
using Portal.Core.Environments;

namespace Portal.Web.Features.Costs;

/// <summary>A month against its budget on the API: <see cref="Budget"/> 0 means none is set.</summary>
public sealed record MonthCostDto(
    string Month, decimal MonthToDate, decimal? Forecast, decimal Budget, decimal? LastMonth, double? ChangeFromLastMonth, bool OverBudget, bool ForecastOverBudget)
{
    public static MonthCostDto Of(MonthCost m) => new(m.Month, m.MonthToDate, m.Forecast, m.Budget, m.LastMonth, m.ChangeFromLastMonth, m.Over, m.ForecastOver);

    public static MonthCostDto? OfNullable(MonthCost? m) => m is null ? null : Of(m);
}

/// <summary>One row of a breakdown, its resources spelled out.</summary>
public sealed record CostRowDto(string Key, decimal Total, decimal Cpu, decimal Memory, decimal Storage, decimal Network, decimal Shared, decimal Idle, MonthCostDto? Month)
{
    public static CostRowDto Of(CostRow r, MonthCost? month = null) => new(
        r.Key, r.Total, r.Of(CostResource.Cpu), r.Of(CostResource.Memory), r.Of(CostResource.Storage), r.Of(CostResource.Network),
        r.Of(CostResource.Shared), r.Of(CostResource.Idle), MonthCostDto.OfNullable(month));
}

/// <summary>One UTC day; <see cref="Total"/> null is a gap in sampling, not zero.</summary>
public sealed record DailyCostDto(DateOnly Day, decimal? Total, double CoveredHours, IReadOnlyDictionary<string, decimal> ByKey, IReadOnlyDictionary<CostResource, decimal> ByResource)
{
    public static DailyCostDto Of(DailyCost d) => new(d.Day, d.Total, d.CoveredHours, d.ByKey, d.ByResource);
}

/// <summary>GET /api/v1/costs.</summary>
public sealed record CostSummaryDto(
    CostGrouping GroupBy, DateOnly From, DateOnly To, string Currency, decimal? Total, IReadOnlyList<DailyCostDto> Days, IReadOnlyList<CostRowDto> Rows, CostRowDto? Unattributed)
{
    public static CostSummaryDto Of(CostSummary s) => new(
        s.GroupBy, s.From, s.To, s.Currency, s.Total, [.. s.Days.Select(DailyCostDto.Of)],
        [.. s.Rows.Select(r => CostRowDto.Of(r, s.Months.GetValueOrDefault(r.Key)))],
        s.Unattributed is { } u ? CostRowDto.Of(u) : null);
}

/// <summary>GET /api/v1/environments/{env}/costs.</summary>
public sealed record EnvironmentCostsDto(
    string Environment, EnvironmentTier Tier, string OwningTeam, DateOnly From, DateOnly To, string Currency, UsageSource? Usage, bool IdleShared,
    decimal? Total, IReadOnlyList<DailyCostDto> Days, IReadOnlyList<CostRowDto> Services, MonthCostDto Month)
{
    public static EnvironmentCostsDto Of(EnvironmentCostReport r) => new(
        r.Environment.Name, r.Environment.Tier, r.Environment.OwningTeam, r.From, r.To, r.Currency, r.Usage, r.IdleShared, r.Total,
        [.. r.Days.Select(DailyCostDto.Of)], [.. r.Services.Select(s => CostRowDto.Of(s))], MonthCostDto.Of(r.Month));
}

/// <summary>The last deploy to an environment.</summary>
public sealed record LastDeployDto(string Service, string Version, string By, DateTimeOffset At, string State);

/// <summary>One row of GET /api/v1/status. A part that could not be read is null and <see cref="Problems"/> says why.</summary>
public sealed record StatusRowDto(
    string Environment, string DisplayName, EnvironmentTier Tier, string OwningTeam, EnvironmentStatus Status, EnvironmentHealth Health,
    int? PodsReady, int? PodsDesired, int? AlarmsFiring, LastDeployDto? LastDeploy, MonthCostDto? Month,
    DateTimeOffset? ExpiresAt, double? HoursLeft, bool? Idle, string? IdleReason, IReadOnlyList<string> Problems)
{
    public static StatusRowDto Of(EnvironmentStatusRow r) => new(
        r.Environment.Name, r.Environment.DisplayName, r.Environment.Tier, r.Environment.OwningTeam, r.Environment.Status, r.Health,
        r.PodsReady, r.PodsDesired, r.AlarmsFiring,
        r.LastDeploy is { } d ? new LastDeployDto(d.Service, d.Version, d.By, d.At, d.State) : null,
        MonthCostDto.OfNullable(r.Month), r.Environment.ExpiresAt, r.TimeLeft is { } left ? Math.Round(left.TotalHours, 2) : null,
        r.Idle?.Idle, r.Idle?.Reason, r.Problems);
}

/// <summary>One row of GET /api/v1/costs/idle: whether the environment is idle, and why.</summary>
public sealed record IdleEnvironmentDto(
    string Environment, EnvironmentTier Tier, string OwningTeam, bool Idle, DateTimeOffset? LastDeployAt, double DaysSinceDeploy, double? CpuUsageShare,
    string Reason, MonthCostDto? Month)
{
    public static IdleEnvironmentDto Of(PortalEnvironment e, IdleVerdict v, MonthCost? m) => new(
        e.Name, e.Tier, e.OwningTeam, v.Idle, v.LastDeployAt, Math.Round(v.DaysSinceDeploy, 2), v.CpuUsageShare is { } s ? Math.Round(s, 4) : null,
        v.Reason, MonthCostDto.OfNullable(m));
}

/// <summary>PUT /api/v1/costs/budgets/teams/{team}: 0 removes the budget; expectedVersion guards against a lost update.</summary>
public sealed record TeamBudgetBody(decimal? MonthlyBudget, int? ExpectedVersion);

/// <summary>POST /api/v1/environments/{env}/teardown: when the environment is to be destroyed.</summary>
public sealed record TeardownBody(DateTimeOffset? At);
