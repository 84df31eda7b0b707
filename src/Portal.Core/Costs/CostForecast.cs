namespace Portal.Core.Costs;

/// <summary>
/// The month-end forecast: what was spent so far plus the recent hourly run rate for the hours left. The rate is taken
/// over sampled time only, so a sampling gap neither lowers it (as zeros would) nor raises it.
/// </summary>
public static class CostForecast
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(7);

    /// <summary>
    /// Run rate per hour = cost of the covered hours within the last 7 days (hours starting from now − 7 days up to now)
    /// / those hours' covered time. With fewer days of data, those it has. Null when none is covered.
    /// </summary>
    public static decimal? RunRate(IReadOnlyList<(DateTimeOffset Hour, decimal Cost, double CoveredHours)> hours, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(hours);
        var from = now - Window;
        var cost = 0m;
        var covered = 0d;
        foreach (var (hour, hourCost, coveredHours) in hours)
        {
            if (hour >= from && hour <= now && coveredHours > 0)
            {
                cost += hourCost;
                covered += coveredHours;
            }
        }

        return covered > 0 ? cost / (decimal)covered : null;
    }

    /// <summary>MonthToDate + runRate × hours left until the first of next month (UTC). Null when runRate is null.</summary>
    public static decimal? Forecast(decimal monthToDate, decimal? runRate, DateTimeOffset now)
    {
        if (runRate is not { } rate)
        {
            return null;
        }

        var hoursLeft = CostTime.Hours(CostTime.MonthStart(now).AddMonths(1) - now);
        return monthToDate + (rate * hoursLeft);
    }
}
