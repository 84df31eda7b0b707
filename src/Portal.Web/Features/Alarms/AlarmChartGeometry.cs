using Portal.Core.Alarms;
using Portal.Web.Features.Logs;

namespace Portal.Web.Features.Alarms;

/// <summary>A stretch of time in the chart's coordinates: where it starts and how wide it is.</summary>
public sealed record ChartSpan(DateTimeOffset From, DateTimeOffset To, double X, double SpanWidth);

/// <summary>
/// The alarm graph's arithmetic, apart from its markup: the value scale (zero, the datapoints and the threshold in view),
/// the line broken where periods are missing, and the stretches the alarm spent in ALARM from its state history. It
/// draws in the same coordinate box as the logs histogram (<see cref="HistogramGeometry"/>), whose x and ticks it reuses.
/// </summary>
public static class AlarmChartGeometry
{
    public const double Width = HistogramGeometry.Width;
    public const double Height = 100;

    /// <summary>A step between datapoints wider than this many periods is missing data: the line breaks there.</summary>
    public const double GapPeriods = 1.5;

    /// <summary>The values at the bottom and the top: zero (when all are positive), every datapoint and the threshold, with a tenth of headroom.</summary>
    public static (double Min, double Max) Scale(IReadOnlyList<MetricPoint> points, double? threshold)
    {
        var values = points.Select(p => p.Value).Concat(threshold is { } t ? [t] : []).Where(double.IsFinite).ToList();
        if (values.Count == 0)
        {
            return (0, 1);
        }

        var min = Math.Min(0, values.Min());
        var max = values.Max();
        if (max <= min)
        {
            max = min + 1;
        }

        return (min, max + ((max - min) * 0.1));
    }

    public static double Y(double value, (double Min, double Max) scale) =>
        Height - (Math.Clamp((value - scale.Min) / (scale.Max - scale.Min), 0, 1) * Height);

    /// <summary>
    /// The datapoints as runs of consecutive periods, oldest first, each a list of (x, y); a missing period starts a new
    /// run, so the graph shows a gap where CloudWatch has no data instead of a line across it.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<(double X, double Y)>> Runs(MetricSeries series, DateTimeOffset from, DateTimeOffset to, (double Min, double Max) scale)
    {
        var gap = TimeSpan.FromSeconds(Math.Max(1, series.PeriodSeconds) * GapPeriods);
        var runs = new List<IReadOnlyList<(double X, double Y)>>();
        List<(double X, double Y)>? run = null;
        DateTimeOffset? previous = null;
        foreach (var point in series.Points.Where(p => double.IsFinite(p.Value)).OrderBy(p => p.Time))
        {
            if (run is null || point.Time - previous > gap)
            {
                run = [];
                runs.Add(run);
            }

            run.Add((HistogramGeometry.X(point.Time, from, to), Y(point.Value, scale)));
            previous = point.Time;
        }

        return runs;
    }

    /// <summary>
    /// The stretches of [<paramref name="from"/>, <paramref name="to"/>] the alarm spent in ALARM, from its state
    /// updates (any order); before the first update in range it was in that update's old state. The alarm's current
    /// state since <paramref name="currentSince"/> is trusted over a history that lags behind it.
    /// </summary>
    public static IReadOnlyList<ChartSpan> AlarmPeriods(IReadOnlyList<AlarmHistoryItem> history, AlarmState current, DateTimeOffset currentSince,
        DateTimeOffset from, DateTimeOffset to)
    {
        var updates = history
            .Where(h => h.Kind == AlarmHistoryKind.StateUpdate && h.NewState is not null && h.Timestamp >= from && h.Timestamp <= to)
            .OrderBy(h => h.Timestamp)
            .ToList();
        var spans = new List<(DateTimeOffset From, DateTimeOffset To)>();
        var start = from;
        AlarmState? state = updates.Count > 0 ? updates[0].OldState : currentSince <= from ? current : null;
        foreach (var update in updates)
        {
            if (state == AlarmState.Alarm)
            {
                spans.Add((start, update.Timestamp));
            }

            (state, start) = (update.NewState, update.Timestamp);
        }

        if (currentSince > start && currentSince <= to)
        {
            if (state == AlarmState.Alarm)
            {
                spans.Add((start, currentSince));
            }

            (state, start) = (current, currentSince);
        }

        if (state == AlarmState.Alarm)
        {
            spans.Add((start, to));
        }

        return [.. Merge(spans).Select(s =>
        {
            var x = HistogramGeometry.X(s.From, from, to);
            return new ChartSpan(s.From, s.To, x, HistogramGeometry.X(s.To, from, to) - x);
        })];
    }

    /// <summary>Touching stretches as one; empty ones left out.</summary>
    private static IEnumerable<(DateTimeOffset From, DateTimeOffset To)> Merge(List<(DateTimeOffset From, DateTimeOffset To)> spans)
    {
        (DateTimeOffset From, DateTimeOffset To)? open = null;
        foreach (var span in spans.Where(s => s.To > s.From))
        {
            if (open is { } o && span.From <= o.To)
            {
                open = (o.From, span.To > o.To ? span.To : o.To);
                continue;
            }

            if (open is { } done)
            {
                yield return done;
            }

            open = span;
        }

        if (open is { } last)
        {
            yield return last;
        }
    }
}
