using System.Globalization;
using System.Text;
using Portal.Core.Costs;
using Portal.Web.Features.Audit;

namespace Portal.Web.Features.Costs;

/// <summary>
/// The cost and status tables as RFC 4180 CSV (cells quoted as <see cref="AuditCsv.Cell"/> quotes them): a header row,
/// CRLF line ends, numbers in the invariant culture with at most six decimals, instants in ISO 8601 UTC, and a gap
/// (no sample) left empty rather than written as 0.
/// </summary>
public static class CostCsv
{
    private static readonly string[] Resources = ["total", "cpu", "memory", "storage", "network", "shared", "idle"];

    public static string Summary(CostSummaryDto s)
    {
        var key = s.GroupBy.ToString().ToLowerInvariant();
        var rows = s.Rows.Select(r => Row(r, s.Currency)).ToList();
        if (s.Unattributed is { } u)
        {
            rows.Add(Row(u with { Key = "(unattributed)" }, s.Currency));
        }

        return Write([key, .. Resources, "monthToDate", "forecast", "budget", "currency"], rows);
    }

    public static string Services(EnvironmentCostsDto r) =>
        Write(["service", .. Resources, "currency"], r.Services.Select(s => Row(s, r.Currency)[..^4].Append(r.Currency).ToArray()));

    public static string Daily(IReadOnlyList<DailyCostDto> days, string currency) =>
        Write(["day", "total", "coveredHours", "currency"], days.Select(d => new[] { CostRange.Format(d.Day), Number(d.Total), Number(d.CoveredHours), currency }));

    public static string Records(CostExplanation e)
    {
        var rows = e.Records.Select(r => new[]
        {
            Instant(r.Hour), r.Cluster, r.Subject.ToString(), r.Namespace, r.Name, r.Service, r.Detail, Number(r.Hours),
            Number(r.CpuRequestCoreHours), Number(r.CpuUsageCoreHours), Number(r.CpuAllocatedCoreHours),
            Number(r.MemoryRequestGiBHours), Number(r.MemoryUsageGiBHours), Number(r.MemoryAllocatedGiBHours), Number(r.Quantity),
            Number(r.CpuPrice), Number(r.MemoryPrice), Number(r.UnitPrice), Number(r.CpuCost), Number(r.MemoryCost), Number(r.OtherCost), Number(r.Total), e.Currency,
        }).Concat(e.IdleShares.Select(i => new[]
        {
            Instant(i.Hour), i.Cluster, "IdleShare", null, e.Environment, null,
            $"nodes {Number(i.NodeCost)}, pods allocated {Number(i.AllocatedCost)}, this environment allocated {Number(i.EnvironmentAllocated)}",
            null, null, null, null, null, null, null, null, null, null, null, null, null, Number(i.Share), Number(i.Share), e.Currency,
        }));
        return Write(
        [
            "hour", "cluster", "subject", "namespace", "name", "service", "detail", "hours",
            "cpuRequestCoreHours", "cpuUsageCoreHours", "cpuAllocatedCoreHours", "memoryRequestGiBHours", "memoryUsageGiBHours", "memoryAllocatedGiBHours", "quantity",
            "cpuPrice", "memoryPrice", "unitPrice", "cpuCost", "memoryCost", "otherCost", "total", "currency",
        ], rows);
    }

    public static string Status(IEnumerable<StatusRowDto> rows) => Write(
        [
            "environment", "tier", "owner", "status", "health", "podsReady", "podsDesired", "alarmsFiring",
            "lastDeployService", "lastDeployVersion", "lastDeployBy", "lastDeployAt", "monthToDate", "forecast", "budget",
            "overBudget", "forecastOverBudget", "hoursLeft", "idle", "problems",
        ],
        rows.Select(r => new[]
        {
            r.Environment, r.Tier.ToWire(), r.OwningTeam, r.Status.ToString(), r.Health.ToString(), Number(r.PodsReady), Number(r.PodsDesired), Number(r.AlarmsFiring),
            r.LastDeploy?.Service, r.LastDeploy?.Version, r.LastDeploy?.By, Instant(r.LastDeploy?.At), Number(r.Month?.MonthToDate), Number(r.Month?.Forecast),
            Number(r.Month is { Budget: > 0 } m ? m.Budget : null), Bool(r.Month?.OverBudget), Bool(r.Month?.ForecastOverBudget), Number(r.HoursLeft), Bool(r.Idle),
            string.Join("; ", r.Problems),
        }));

    public static string Idle(IEnumerable<IdleEnvironmentDto> rows) => Write(
        ["environment", "tier", "owner", "idle", "lastDeployAt", "daysSinceDeploy", "cpuUsageShare", "reason", "monthToDate"],
        rows.Select(r => new[]
        {
            r.Environment, r.Tier.ToWire(), r.OwningTeam, Bool(r.Idle), Instant(r.LastDeployAt), Number(r.DaysSinceDeploy), Number(r.CpuUsageShare), r.Reason,
            Number(r.Month?.MonthToDate),
        }));

    public static string Notices(IEnumerable<BudgetNotice> notices) => Write(
        ["scope", "name", "month", "thresholdPercent", "basis", "amount", "budget", "raisedAt"],
        notices.Select(n => new[]
        {
            n.Scope.ToString().ToLowerInvariant(), n.Name, n.Month, Number(n.ThresholdPercent), n.Basis.ToString().ToLowerInvariant(),
            Number(n.Amount), Number(n.Budget), Instant(n.RaisedAt),
        }));

    public static string TeamBudgets(IEnumerable<TeamBudget> budgets) => Write(
        ["team", "monthlyBudget", "updatedBy", "updatedAt", "version"],
        budgets.Select(b => new[] { b.Team, Number(b.MonthlyBudget), b.UpdatedBy, Instant(b.UpdatedAt), Number(b.Version) }));

    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', header.Select(AuditCsv.Cell))).Append("\r\n");
        foreach (var row in rows)
        {
            csv.Append(string.Join(',', row.Select(AuditCsv.Cell))).Append("\r\n");
        }

        return csv.ToString();
    }

    public static string? Number(decimal? value) => value?.ToString("0.######", CultureInfo.InvariantCulture);

    public static string? Number(double? value) => value?.ToString("0.######", CultureInfo.InvariantCulture);

    public static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Bool(bool? value) => value switch
    {
        null => null,
        true => "true",
        false => "false",
    };

    private static string? Instant(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string?[] Row(CostRowDto r, string currency) =>
    [
        r.Key, Number(r.Total), Number(r.Cpu), Number(r.Memory), Number(r.Storage), Number(r.Network), Number(r.Shared), Number(r.Idle),
        Number(r.Month?.MonthToDate), Number(r.Month?.Forecast), Number(r.Month is { Budget: > 0 } m ? m.Budget : null), currency,
    ];
}
