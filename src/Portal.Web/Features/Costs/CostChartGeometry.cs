using Portal.Core.Costs;

namespace Portal.Web.Features.Costs;

/// <summary>One series of a stacked chart: its key, its label, and which theme colour it takes (-1: "other").</summary>
public sealed record CostSeries(string Key, string Label, int Colour);

/// <summary>One part of a day's column, in the chart's coordinates.</summary>
public sealed record CostSegment(CostSeries Series, decimal Value, double Y, double SegmentHeight);

/// <summary>One day's column: a stack of segments, or a gap (no sample that day) drawn as such, never as a zero bar.</summary>
public sealed record CostColumn(DailyCost Day, double X, double ColumnWidth, bool IsGap, IReadOnlyList<CostSegment> Segments);

/// <summary>
/// The stacked daily chart's arithmetic, apart from its markup: which series get a colour of their own (the biggest,
/// the rest summed as "other"), and each day's column scaled to the costliest day, in a fixed box of
/// <see cref="Width"/> by <see cref="Height"/> stretched to the page.
/// </summary>
public static class CostChartGeometry
{
    public const double Width = 1000;
    public const double Height = 100;

    /// <summary>Series with a colour of their own; more are summed as "other".</summary>
    public const int MaxSeries = 8;

    public const string OtherKey = "\u0000other";

    /// <summary>
    /// The series, biggest over the range first: by resource in a fixed order (so CPU is always the same colour), by key
    /// the <see cref="MaxSeries"/> − 1 biggest and "other" for the rest when there are more than <see cref="MaxSeries"/>.
    /// </summary>
    public static IReadOnlyList<CostSeries> Series(IReadOnlyList<DailyCost> days, CostStack stack)
    {
        if (stack == CostStack.Resource)
        {
            return [.. Enum.GetValues<CostResource>()
                .Where(r => days.Any(d => d.ByResource.TryGetValue(r, out var v) && v != 0))
                .Select(r => new CostSeries(r.ToString(), CostFormat.Resource(r), (int)r))];
        }

        var keys = days.SelectMany(d => d.ByKey)
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .Select(g => (Key: g.Key, Total: g.Sum(p => p.Value)))
            .Where(k => k.Total != 0)
            .OrderByDescending(k => k.Total).ThenBy(k => k.Key, StringComparer.Ordinal)
            .ToList();
        var own = keys.Count > MaxSeries ? MaxSeries - 1 : keys.Count;
        var series = keys.Take(own).Select((k, i) => new CostSeries(k.Key, k.Key, i)).ToList();
        if (keys.Count > own)
        {
            series.Add(new CostSeries(OtherKey, $"{keys.Count - own} more", -1));
        }

        return series;
    }

    /// <summary>The costliest day's total: the y axis's top (1 when nothing cost anything, so empty columns stay flat).</summary>
    public static decimal Max(IReadOnlyList<DailyCost> days)
    {
        var max = days.Select(d => d.Total ?? 0).DefaultIfEmpty(0).Max();
        return max > 0 ? max : 1;
    }

    public static IReadOnlyList<CostColumn> Columns(IReadOnlyList<DailyCost> days, IReadOnlyList<CostSeries> series, CostStack stack)
    {
        if (days.Count == 0)
        {
            return [];
        }

        var max = Max(days);
        var width = Width / days.Count;
        return [.. days.Select((day, i) =>
        {
            if (day.Total is null)
            {
                return new CostColumn(day, i * width, width, true, []);
            }

            var segments = new List<CostSegment>();
            var top = Height;
            foreach (var s in series)
            {
                var value = ValueOf(day, s, series, stack);
                if (value <= 0)
                {
                    continue;
                }

                var height = (double)(value / max) * Height;
                top -= height;
                segments.Add(new CostSegment(s, value, top, height));
            }

            return new CostColumn(day, i * width, width, false, segments);
        })];
    }

    private static decimal ValueOf(DailyCost day, CostSeries series, IReadOnlyList<CostSeries> all, CostStack stack)
    {
        if (stack == CostStack.Resource)
        {
            return Enum.TryParse<CostResource>(series.Key, out var r) && day.ByResource.TryGetValue(r, out var v) ? v : 0;
        }

        if (series.Key != OtherKey)
        {
            return day.ByKey.TryGetValue(series.Key, out var v) ? v : 0;
        }

        var named = all.Where(s => s.Key != OtherKey).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        return day.ByKey.Where(p => !named.Contains(p.Key)).Sum(p => p.Value);
    }
}
