using Portal.Core.Logs;

namespace Portal.Web.Features.Logs;

/// <summary>One bar of the histogram in the chart's coordinates (<see cref="HistogramGeometry.Width"/> by <see cref="HistogramGeometry.Height"/>).</summary>
public sealed record HistogramBar(LogHistogramBucket Bucket, DateTimeOffset End, double X, double BarWidth, double BarHeight);

/// <summary>An axis label: where (in chart units) and which instant.</summary>
public sealed record HistogramTick(double X, DateTimeOffset At);

/// <summary>
/// The histogram's arithmetic, apart from its markup: bars scaled to the tallest bucket, instants to x, ticks at round
/// local times, and a dragged selection back to a time range. The chart is drawn in a fixed coordinate box stretched to
/// the page's width, so x here is a share of <see cref="Width"/>.
/// </summary>
public static class HistogramGeometry
{
    public const double Width = 1000;
    public const double Height = 100;

    /// <summary>A selection narrower than this share of the chart is a click, not a zoom.</summary>
    public const double MinimumSelection = 0.005;

    private static readonly TimeSpan[] TickSteps =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12),
        TimeSpan.FromDays(1), TimeSpan.FromDays(2), TimeSpan.FromDays(7), TimeSpan.FromDays(14), TimeSpan.FromDays(30),
    ];

    /// <summary>Where <paramref name="at"/> falls across the chart, clamped to its edges.</summary>
    public static double X(DateTimeOffset at, DateTimeOffset from, DateTimeOffset to)
    {
        var range = (to - from).Ticks;
        return range <= 0 ? 0 : Math.Clamp((double)(at - from).Ticks / range, 0, 1) * Width;
    }

    /// <summary>One bar per bucket, the tallest reaching the top; a bucket that starts before the range is cut at its left edge.</summary>
    public static IReadOnlyList<HistogramBar> Bars(IReadOnlyList<LogHistogramBucket> buckets, TimeSpan interval, DateTimeOffset from, DateTimeOffset to)
    {
        var max = buckets.Count == 0 ? 0 : buckets.Max(b => b.Count);
        var bars = new List<HistogramBar>(buckets.Count);
        foreach (var bucket in buckets)
        {
            var end = bucket.Start + interval;
            var left = X(bucket.Start, from, to);
            var right = X(end, from, to);
            var height = max == 0 ? 0 : (double)bucket.Count / max * Height;
            bars.Add(new HistogramBar(bucket, end, left, Math.Max(0, right - left), height));
        }

        return bars;
    }

    /// <summary>The tallest bucket's count: the y axis's top label.</summary>
    public static long Max(IReadOnlyList<LogHistogramBucket> buckets) => buckets.Count == 0 ? 0 : buckets.Max(b => b.Count);

    /// <summary>
    /// The range a drag from <paramref name="startFraction"/> to <paramref name="endFraction"/> (shares of the chart's
    /// width, either order, clamped to it) selects; null when it is too narrow to be meant as a zoom.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To)? Selection(double startFraction, double endFraction, DateTimeOffset from, DateTimeOffset to)
    {
        if (double.IsNaN(startFraction) || double.IsNaN(endFraction) || to <= from)
        {
            return null;
        }

        var a = Math.Clamp(Math.Min(startFraction, endFraction), 0, 1);
        var b = Math.Clamp(Math.Max(startFraction, endFraction), 0, 1);
        if (b - a < MinimumSelection)
        {
            return null;
        }

        var range = (to - from).Ticks;
        var selectedFrom = from + TimeSpan.FromTicks((long)Math.Round(range * a));
        var selectedTo = from + TimeSpan.FromTicks((long)Math.Round(range * b));

        // The URL keeps milliseconds: round outwards, so the selection is never narrower than what was dragged over.
        return (Floor(selectedFrom), Ceiling(selectedTo));
    }

    /// <summary>Ticks at round times of <paramref name="zone"/> (every 5 minutes, every hour, each midnight), at most <paramref name="maxTicks"/>.</summary>
    public static (IReadOnlyList<HistogramTick> Ticks, TimeSpan Step) Ticks(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone, int maxTicks = 6)
    {
        var range = to - from;
        if (range <= TimeSpan.Zero)
        {
            return ([], TimeSpan.Zero);
        }

        var step = TickSteps.FirstOrDefault(s => range.Ticks / s.Ticks <= maxTicks, TickSteps[^1]);
        while (range.Ticks / step.Ticks > maxTicks)
        {
            step += step;
        }

        // Round in the zone's wall-clock time, with the offset at the range's start.
        var offset = zone.GetUtcOffset(from);
        var localTicks = (from + offset).UtcTicks;
        var first = (localTicks + step.Ticks - 1) / step.Ticks * step.Ticks;
        var ticks = new List<HistogramTick>();
        for (var t = first; t - offset.Ticks <= to.UtcTicks; t += step.Ticks)
        {
            var at = new DateTimeOffset(t - offset.Ticks, TimeSpan.Zero);
            ticks.Add(new HistogramTick(X(at, from, to), at));
        }

        return (ticks, step);
    }

    private static DateTimeOffset Floor(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    private static DateTimeOffset Ceiling(DateTimeOffset at) => at.UtcTicks % TimeSpan.TicksPerMillisecond == 0 ? at.ToUniversalTime() : Floor(at).AddMilliseconds(1);
}
