using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Core.Alarms;
using Portal.Web.Features.Logs;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// The alarm's metric over the page's range, our own SVG like the logs histogram: one value per period, the threshold,
/// and the time in ALARM from the state history (<see cref="AlarmChartGeometry"/> does the arithmetic).
/// </summary>
public sealed partial class AlarmMetricChart
{
    private static readonly string W = N(AlarmChartGeometry.Width);
    private static readonly string H = N(AlarmChartGeometry.Height);

    private (double Min, double Max) _scale = (0, 1);
    private IReadOnlyList<IReadOnlyList<(double X, double Y)>> _runs = [];
    private IReadOnlyList<ChartSpan> _alarmPeriods = [];
    private IReadOnlyList<HistogramTick> _ticks = [];
    private TimeSpan _step;

    [Parameter, EditorRequired]
    public MetricSeries Series { get; set; } = new("", 60, []);

    /// <summary>Null for an anomaly-detection alarm, whose band is not drawn.</summary>
    [Parameter]
    public double? Threshold { get; set; }

    [Parameter, EditorRequired]
    public IReadOnlyList<AlarmHistoryItem> History { get; set; } = [];

    [Parameter, EditorRequired]
    public AlarmState State { get; set; }

    [Parameter, EditorRequired]
    public DateTimeOffset StateSince { get; set; }

    [Parameter, EditorRequired]
    public DateTimeOffset From { get; set; }

    [Parameter, EditorRequired]
    public DateTimeOffset To { get; set; }

    /// <summary>The last value and the highest, in words: what a screen reader hears for the graph.</summary>
    private string Summary
    {
        get
        {
            if (Series.Points.Count == 0)
            {
                return "No datapoints in this range.";
            }

            var last = Series.Points.MaxBy(p => p.Time)!;
            var highest = Series.Points.MaxBy(p => p.Value)!;
            return $"Latest {AlarmFormat.Number(last.Value)} at {AlarmFormat.Clock(last.Time)}, highest {AlarmFormat.Number(highest.Value)} at {AlarmFormat.Clock(highest.Time)}"
                + $"; {_alarmPeriods.Count} stretch{(_alarmPeriods.Count == 1 ? "" : "es")} in ALARM.";
        }
    }

    protected override void OnParametersSet()
    {
        _scale = AlarmChartGeometry.Scale(Series.Points, Threshold);
        _runs = AlarmChartGeometry.Runs(Series, From, To, _scale);
        _alarmPeriods = AlarmChartGeometry.AlarmPeriods(History, State, StateSince, From, To);
        (_ticks, _step) = HistogramGeometry.Ticks(From, To, TimeZoneInfo.Utc);
    }

    private static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Points(IReadOnlyList<(double X, double Y)> run) => string.Join(' ', run.Select(p => $"{N(p.X)},{N(p.Y)}"));
}
