namespace Portal.Core.Costs;

/// <summary>
/// Breakdowns of stored costs by any key (service, environment, team), per day and per month, with idle shown on its
/// own or shared in proportion to allocation (see <see cref="CostAttribution"/> for how records become cost). Every
/// figure is the sum of records and idle shares: nothing is rounded here, nothing is estimated except the forecast.
/// </summary>
public static class CostBreakdown
{
    /// <summary>The key of the row that holds unattributed cost.</summary>
    public const string UnattributedKey = "Unattributed";

    private static readonly TimeSpan RunRateWindow = TimeSpan.FromDays(7);

    /// <summary>
    /// Per cluster-hour in which the scope has pods: idle = node cost − allocated pod cost (CPU + memory of all pods in
    /// the cluster, floored at 0); the scope's share = idle × scope's allocated pod cost / all allocated pod cost.
    /// </summary>
    public static IReadOnlyList<IdleShareLine> IdleShares(IReadOnlyList<CostRecord> totals, Func<CostRecord, bool> inScope)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(inScope);
        var lines = new List<IdleShareLine>();
        foreach (var clusterHour in totals.GroupBy(r => (r.Hour, r.Cluster)))
        {
            var nodeCost = clusterHour.Where(r => r.Subject == CostSubject.Node).Sum(r => r.Total);
            var allocated = clusterHour.Sum(CostAttribution.Allocated);
            var scope = clusterHour.Where(r => r.Subject == CostSubject.Pod && inScope(r)).Sum(CostAttribution.Allocated);
            if (scope != 0)
            {
                var idle = CostAttribution.Idle(nodeCost, allocated);
                lines.Add(new IdleShareLine(clusterHour.Key.Hour, clusterHour.Key.Cluster, nodeCost, allocated, scope,
                    CostAttribution.Share(idle, scope, allocated)));
            }
        }

        return [.. lines.OrderBy(l => l.Hour).ThenBy(l => l.Cluster, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Rows keyed by keyOf(record) (null = outside the scope, skipped); nodes are never a row. Idle: when shareIdle,
    /// each key gets its share as <see cref="CostResource.Idle"/>; otherwise idle is in no row. Sorted by Total
    /// descending, then by key.
    /// </summary>
    public static IReadOnlyList<CostRow> Rows(CostInputs inputs, Func<CostRecord, string?> keyOf, bool shareIdle)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return ToRows(CostAttribution.Lines(inputs.Totals, keyOf, shareIdle).Where(l => l.Key is not null));
    }

    /// <summary>
    /// Non-node records whose keyOf is null, plus idle when it is not shared. Shared, the idle share of pods without a
    /// key stays here too, and so does idle of a cluster-hour with no allocated pod cost to share it by: so the rows and
    /// this always add up to every record's cost plus all idle. Null when zero.
    /// </summary>
    public static CostRow? Unattributed(CostInputs inputs, Func<CostRecord, string?> keyOf, bool shareIdle)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var byResource = ByResource(CostAttribution.Lines(inputs.Totals, keyOf, shareIdle).Where(l => l.Key is null));
        var total = byResource.Values.Sum();
        return total == 0 ? null : new CostRow(UnattributedKey, total, byResource);
    }

    /// <summary>
    /// One <see cref="DailyCost"/> per UTC day from..to inclusive; ByKey by keyOf, ByResource as in <see cref="Rows"/>
    /// (with Idle when shared), Total their sum (unattributed cost is in none of them). A day in which no slot starts is
    /// a gap: Total null. CoveredHours = the hours of the day any slot covers.
    /// </summary>
    public static IReadOnlyList<DailyCost> Daily(CostInputs inputs, Func<CostRecord, string?> keyOf, bool shareIdle, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var linesByDay = CostAttribution.Lines(inputs.Totals, keyOf, shareIdle)
            .Where(l => l.Key is not null)
            .ToLookup(l => CostTime.DayOf(l.Hour));
        var slotsByDay = inputs.Slots.ToLookup(s => CostTime.DayOf(s.Start));
        var days = new List<DailyCost>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (!slotsByDay.Contains(day))
            {
                days.Add(new DailyCost(day, null, 0, new Dictionary<string, decimal>(), new Dictionary<CostResource, decimal>()));
                continue;
            }

            var start = CostTime.DayStart(day);
            var rows = ToRows(linesByDay[day]);
            days.Add(new DailyCost(
                day,
                rows.Sum(r => r.Total),
                SlotCoverage.Hours(slotsByDay[day], start, start.AddDays(1)),
                rows.ToDictionary(r => r.Key, r => r.Total, StringComparer.Ordinal),
                ByResource(linesByDay[day])));
        }

        return days;
    }

    /// <summary>
    /// The scope's month: MonthToDate = cost of the hours from the 1st 00:00 UTC up to now; Forecast =
    /// <see cref="CostForecast"/> over the last 7 days; LastMonth = the previous month's total (null when no slot in it);
    /// Change = (Forecast − LastMonth) / LastMonth (0.1 = 10 % more), null without either or when LastMonth is 0.
    /// inputs must cover the last month, this month, and the last 7 days.
    /// </summary>
    public static MonthCost Month(CostInputs inputs, Func<CostRecord, string?> keyOf, bool shareIdle, DateTimeOffset now, decimal budget)
    {
        ArgumentNullException.ThrowIfNull(keyOf);
        const string scope = "";
        return Months(inputs, r => keyOf(r) is null ? null : scope, shareIdle, now, new Dictionary<string, decimal> { [scope] = budget })[scope];
    }

    /// <summary>
    /// <see cref="Month"/> for many keys in one pass over the records (the status overview's environments, a summary's
    /// rows): one entry per key of <paramref name="budgets"/> (budget 0: none), whether or not it has any cost.
    /// </summary>
    public static IReadOnlyDictionary<string, MonthCost> Months(
        CostInputs inputs, Func<CostRecord, string?> keyOf, bool shareIdle, DateTimeOffset now, IReadOnlyDictionary<string, decimal> budgets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(budgets);
        var monthStart = CostTime.MonthStart(now);
        var lastMonthStart = monthStart.AddMonths(-1);
        var costByKeyAndHour = budgets.Keys.ToDictionary(k => k, _ => new Dictionary<DateTimeOffset, decimal>(), StringComparer.Ordinal);
        foreach (var line in CostAttribution.Lines(inputs.Totals, keyOf, shareIdle))
        {
            if (line.Key is not null && line.Hour <= now && costByKeyAndHour.TryGetValue(line.Key, out var byHour))
            {
                byHour[line.Hour] = byHour.GetValueOrDefault(line.Hour) + line.Amount;
            }
        }

        var lastMonthSampled = inputs.Slots.Any(s => s.Start >= lastMonthStart && s.Start < monthStart);
        var recent = inputs.Slots
            .Where(s => s.Start >= now - RunRateWindow - TimeSpan.FromHours(1) && s.Start <= now)
            .GroupBy(s => CostTime.HourOf(s.Start))
            .Select(g => (Hour: g.Key, CoveredHours: SlotCoverage.Hours(g, g.Key, g.Key.AddHours(1))))
            .ToList();
        var months = new Dictionary<string, MonthCost>(StringComparer.Ordinal);
        foreach (var (key, costByHour) in costByKeyAndHour)
        {
            var monthToDate = costByHour.Where(h => h.Key >= monthStart).Sum(h => h.Value);
            decimal? lastMonth = lastMonthSampled ? costByHour.Where(h => h.Key >= lastMonthStart && h.Key < monthStart).Sum(h => h.Value) : null;
            var recentHours = recent.Select(h => (h.Hour, Cost: costByHour.GetValueOrDefault(h.Hour), h.CoveredHours)).ToList();
            var forecast = CostForecast.Forecast(monthToDate, CostForecast.RunRate(recentHours, now), now);
            double? change = forecast is { } f && lastMonth is { } last && last != 0 ? (double)((f - last) / last) : null;
            months[key] = new MonthCost(CostTime.MonthKey(monthStart), monthToDate, forecast, budgets[key], lastMonth, change);
        }

        return months;
    }

    private static IReadOnlyList<CostRow> ToRows(IEnumerable<CostLine> lines) =>
    [
        .. lines
            .GroupBy(l => l.Key!, StringComparer.Ordinal)
            .Select(g =>
            {
                var byResource = ByResource(g);
                return new CostRow(g.Key, byResource.Values.Sum(), byResource);
            })
            .OrderByDescending(r => r.Total)
            .ThenBy(r => r.Key, StringComparer.Ordinal),
    ];

    private static Dictionary<CostResource, decimal> ByResource(IEnumerable<CostLine> lines)
    {
        var byResource = new Dictionary<CostResource, decimal>();
        foreach (var line in lines)
        {
            byResource[line.Resource] = byResource.GetValueOrDefault(line.Resource) + line.Amount;
        }

        return byResource;
    }
}
