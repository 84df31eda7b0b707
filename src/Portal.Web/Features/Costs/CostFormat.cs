using System.Globalization;
using Portal.Core.Costs;
using Radzen;

namespace Portal.Web.Features.Costs;

/// <summary>Figures as the cost pages show them: amounts with their currency, shares as percentages, resources by name.</summary>
public static class CostFormat
{
    /// <summary>"1,234 USD", "12.34 USD", "0.0042 USD"; a missing figure is a dash.</summary>
    public static string Money(decimal? value, string currency) => value is { } v ? $"{Amount(v)} {currency}" : "—";

    public static string Amount(decimal value) => Math.Abs(value) switch
    {
        >= 1000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 0.01m => value.ToString("N2", CultureInfo.InvariantCulture),
        0 => "0.00",
        >= 0.0001m => value.ToString("0.####", CultureInfo.InvariantCulture),
        // A pod's share of a few minutes: never "0", which would read as free.
        _ => value > 0 ? "< 0.0001" : "> -0.0001",
    };

    /// <summary>0.8 as "80 %"; null as a dash.</summary>
    public static string Percent(double? share) => share is { } s ? $"{(s * 100).ToString("0", CultureInfo.InvariantCulture)} %" : "—";

    /// <summary>A change as "+12 %" or "−3 %"; null as a dash.</summary>
    public static string Change(double? change) => change switch
    {
        null => "—",
        >= 0 => $"+{Percent(change)}",
        var c => $"−{Percent(-c)}",
    };

    public static string Number(double value) => value.ToString(Math.Abs(value) >= 100 ? "0.#" : "0.####", CultureInfo.InvariantCulture);

    public static string Resource(CostResource resource) => resource switch
    {
        CostResource.Cpu => "CPU",
        CostResource.Memory => "Memory",
        CostResource.Storage => "Storage",
        CostResource.Network => "Network",
        CostResource.Shared => "Shared services",
        _ => "Idle",
    };

    public static string Health(EnvironmentHealth health) => health switch
    {
        EnvironmentHealth.Healthy => "Healthy",
        EnvironmentHealth.Degraded => "Degraded",
        EnvironmentHealth.Down => "Down",
        _ => "Unknown",
    };

    public static BadgeStyle HealthStyle(EnvironmentHealth health) => health switch
    {
        EnvironmentHealth.Healthy => BadgeStyle.Success,
        EnvironmentHealth.Degraded => BadgeStyle.Warning,
        EnvironmentHealth.Down => BadgeStyle.Danger,
        _ => BadgeStyle.Light,
    };

    /// <summary>How long ago, coarsely: "12 min ago", "2 d 4 h ago".</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now) => $"{Alarms.AlarmFormat.Age(now - at)} ago";

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>Where the usage figures come from, in words for the page.</summary>
    public static string Usage(UsageSource? usage) => usage switch
    {
        UsageSource.MetricsApi => "Usage from the cluster's metrics API: each pod costs the larger of its requests and its use.",
        UsageSource.RequestsOnly => "Requests only: this cluster has no metrics API, so each pod costs what it requests.",
        _ => "No samples in this range yet.",
    };

    /// <summary>The budget against the month in words, never colour alone: "over budget", "forecast over budget", or none.</summary>
    public static string? BudgetState(MonthCost? month) => month switch
    {
        { Over: true } => "over budget",
        { ForecastOver: true } => "forecast over budget",
        _ => null,
    };

    public static string BudgetKey(MonthCost? month) => month switch
    {
        null => "unknown",
        { HasBudget: false } => "none",
        { Over: true } => "over",
        { ForecastOver: true } => "forecast-over",
        _ => "within",
    };
}
