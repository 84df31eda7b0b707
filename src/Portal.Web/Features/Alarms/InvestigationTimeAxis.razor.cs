using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Web.Features.Logs;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// The investigation's one time axis, our own SVG in the logs histogram's coordinates (<see cref="HistogramGeometry"/>):
/// a lane per <see cref="TimelineKind"/> (<see cref="TimelineLanes"/>), a mark at each entry's time, a link where the
/// entry has one. The chronological list below it carries the same entries in words.
/// </summary>
public sealed partial class InvestigationTimeAxis
{
    private const double LaneHeight = 20;
    private static readonly string W = N(HistogramGeometry.Width);

    private IReadOnlyList<HistogramTick> _ticks = [];
    private TimeSpan _step;

    [Parameter, EditorRequired]
    public IReadOnlyList<TimelineEntry> Entries { get; set; } = [];

    [Parameter, EditorRequired]
    public DateTimeOffset From { get; set; }

    [Parameter, EditorRequired]
    public DateTimeOffset To { get; set; }

    private static double Height => TimelineLanes.All.Count * LaneHeight;

    private string Summary =>
        $"Timeline from {AlarmFormat.Time(From)} to {AlarmFormat.Time(To)} UTC: "
        + string.Join(", ", TimelineLanes.All.Select(l => $"{Entries.Count(e => e.Kind == l.Kind)} {l.Label.ToLowerInvariant()}"));

    protected override void OnParametersSet() => (_ticks, _step) = HistogramGeometry.Ticks(From, To, TimeZoneInfo.Utc);

    private static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
