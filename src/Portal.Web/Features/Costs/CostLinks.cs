using Microsoft.AspNetCore.WebUtilities;
using Portal.Core.Costs;

namespace Portal.Web.Features.Costs;

/// <summary>The cost pages' shareable URLs (relative to the base path) and their CSV exports, built one way everywhere.</summary>
public static class CostLinks
{
    public const string Organisation = "costs";
    public const string Idle = "costs/idle";
    public const string Budgets = "costs/budgets";
    public const string Status = "status";

    public static string Summary(CostRange range, CostGrouping groupBy, string? team = null) =>
        With(team is null ? Organisation : $"costs/teams/{Uri.EscapeDataString(team)}", Range(range) with { GroupBy = Grouping(groupBy) });

    public static string Environment(string environment, CostRange? range = null, CostStack stack = CostStack.Service) =>
        With($"environments/{Uri.EscapeDataString(environment)}/costs", Range(range) with { Stack = stack == CostStack.Resource ? "resource" : null });

    public static string Explain(string environment, CostRange range, string? service = null, CostResource? resource = null) =>
        With("costs/explain", Range(range) with { Environment = environment, Service = service, Resource = resource?.ToString().ToLowerInvariant() });

    public static string EnvironmentEdit(string environment) => $"environments/{Uri.EscapeDataString(environment)}?env={Uri.EscapeDataString(environment)}";

    public static string SummaryCsv(CostRange range, CostGrouping groupBy, string? team, bool daily = false) =>
        With("api/v1/costs", Range(range) with { GroupBy = Grouping(groupBy), Team = team, Table = daily ? "daily" : null, Format = "csv" });

    public static string EnvironmentCsv(string environment, CostRange range, bool daily = false) =>
        With($"api/v1/environments/{Uri.EscapeDataString(environment)}/costs", Range(range) with { Table = daily ? "daily" : null, Format = "csv" });

    public static string ExplainCsv(string environment, CostRange range, string? service, CostResource? resource) =>
        With($"api/v1/environments/{Uri.EscapeDataString(environment)}/costs/explain",
            Range(range) with { Service = service, Resource = resource?.ToString().ToLowerInvariant(), Format = "csv" });

    public static string StatusCsv => "api/v1/status?format=csv";

    public static string IdleCsv => "api/v1/costs/idle?format=csv";

    public static string TeamBudgetsCsv => "api/v1/costs/budgets/teams?format=csv";

    public static string Grouping(CostGrouping groupBy) => groupBy.ToString().ToLowerInvariant();

    private static Query Range(CostRange? range) =>
        new() { From = range is null ? null : CostRange.Format(range.From), To = range is null ? null : CostRange.Format(range.To) };

    private static string With(string path, Query q)
    {
        var values = new Dictionary<string, string?>
        {
            ["environment"] = q.Environment,
            ["groupBy"] = q.GroupBy,
            ["team"] = q.Team,
            ["from"] = q.From,
            ["to"] = q.To,
            ["service"] = q.Service,
            ["resource"] = q.Resource,
            ["stack"] = q.Stack,
            ["table"] = q.Table,
            ["format"] = q.Format,
        };
        return QueryHelpers.AddQueryString(path, values.Where(v => v.Value is not null));
    }

    private sealed record Query
    {
        public string? Environment { get; init; }
        public string? GroupBy { get; init; }
        public string? Team { get; init; }
        public string? From { get; init; }
        public string? To { get; init; }
        public string? Service { get; init; }
        public string? Resource { get; init; }
        public string? Stack { get; init; }
        public string? Table { get; init; }
        public string? Format { get; init; }
    }
}

/// <summary>How an environment's daily chart is stacked.</summary>
public enum CostStack
{
    Service,
    Resource,
}
