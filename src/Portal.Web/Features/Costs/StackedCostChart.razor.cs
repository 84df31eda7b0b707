using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Core.Costs;

namespace Portal.Web.Features.Costs;

/// <summary>
/// The daily costs of a range stacked by key (service, environment, team) or by resource; <see cref="CostChartGeometry"/>
/// does the arithmetic. Colours are the theme's series colours, so light and dark themes both read.
/// </summary>
public sealed partial class StackedCostChart
{
    private static readonly string W = N(CostChartGeometry.Width);
    private static readonly string H = N(CostChartGeometry.Height);

    private readonly string _hatch = $"cost-hatch-{Guid.NewGuid():N}";
    private IReadOnlyList<CostSeries> _series = [];
    private IReadOnlyList<CostColumn> _columns = [];
    private IReadOnlyList<(double X, string Label)> _ticks = [];
    private decimal _max;

    [Parameter, EditorRequired]
    public IReadOnlyList<DailyCost> Days { get; set; } = [];

    [Parameter]
    public CostStack Stack { get; set; } = CostStack.Service;

    [Parameter, EditorRequired]
    public string Currency { get; set; } = "";

    /// <summary>Where a day's column leads (its explanation); null draws plain columns.</summary>
    [Parameter]
    public Func<DateOnly, string?>? DayLink { get; set; }

    private string Summary
    {
        get
        {
            var gaps = _columns.Count(c => c.IsGap);
            var costliest = Days.Where(d => d.Total is not null).MaxBy(d => d.Total);
            return costliest is null
                ? $"No samples in these {Days.Count} days."
                : $"Costliest day {CostRange.Format(costliest.Day)}: {CostFormat.Money(costliest.Total, Currency)}; {gaps} day{(gaps == 1 ? "" : "s")} without samples.";
        }
    }

    protected override void OnParametersSet()
    {
        _series = CostChartGeometry.Series(Days, Stack);
        _columns = CostChartGeometry.Columns(Days, _series, Stack);
        _max = CostChartGeometry.Max(Days);
        var every = Math.Max(1, (int)Math.Ceiling(Days.Count / 8.0));
        _ticks = [.. _columns.Where((_, i) => i % every == 0)
            .Select(c => (c.X + (c.ColumnWidth / 2), c.Day.Day.ToString("MMM d", CultureInfo.InvariantCulture)))];
    }

    private static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static double Gap(CostColumn column) => column.ColumnWidth > 4 ? 0.1 * column.ColumnWidth / 2 : 0;

    private static string SeriesClass(CostSeries series) => series.Colour < 0 ? "cost-series-other" : $"cost-series-{series.Colour % CostChartGeometry.MaxSeries}";

    /// <summary>The day's total and each part, biggest first, and whether some of its hours went unsampled.</summary>
    private string Title(CostColumn column)
    {
        var day = column.Day;
        var parts = string.Join("; ", column.Segments.OrderByDescending(s => s.Value).Select(s => $"{s.Series.Label} {CostFormat.Money(s.Value, Currency)}"));
        var partial = day.CoveredHours < 24 ? $" ({CostFormat.Number(day.CoveredHours)} of 24 h sampled)" : "";
        return $"{CostRange.Format(day.Day)}: {CostFormat.Money(day.Total, Currency)}{partial}{(parts.Length > 0 ? " — " + parts : "")}";
    }
}
