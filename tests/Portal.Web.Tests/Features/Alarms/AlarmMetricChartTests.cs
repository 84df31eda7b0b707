using System.Globalization;
using Portal.Core.Alarms;
using Portal.Web.Features.Alarms;
using Portal.Web.Tests.Components;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>The alarm graph's SVG as rendered: the threshold where its value falls, the time in ALARM shaded, gaps kept.</summary>
public sealed class AlarmMetricChartTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddMinutes(10);

    private static Task<AngleSharp.Dom.IDocument> RenderAsync(MetricSeries series, double? threshold, IReadOnlyList<AlarmHistoryItem> history, AlarmState state, DateTimeOffset since) =>
        new ComponentTestContext().RenderAsync<AlarmMetricChart>(new()
        {
            [nameof(AlarmMetricChart.Series)] = series,
            [nameof(AlarmMetricChart.Threshold)] = threshold,
            [nameof(AlarmMetricChart.History)] = history,
            [nameof(AlarmMetricChart.State)] = state,
            [nameof(AlarmMetricChart.StateSince)] = since,
            [nameof(AlarmMetricChart.From)] = From,
            [nameof(AlarmMetricChart.To)] = To,
        });

    private static double Number(string? text) => double.Parse(text!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Render_ThresholdLineAndAlarmShading_WhereTheirValuesAndTimesFall()
    {
        var series = new MetricSeries("HTTP5xxRate", 60, [.. Enumerable.Range(0, 10).Select(i => new MetricPoint(From.AddMinutes(i), i < 5 ? 1 : 40))]);
        AlarmHistoryItem[] history = [new(From.AddMinutes(7), AlarmHistoryKind.StateUpdate, "Alarm updated from OK to ALARM", AlarmState.Ok, AlarmState.Alarm)];

        var doc = await RenderAsync(series, threshold: 5, history, AlarmState.Alarm, From.AddMinutes(7));

        var threshold = doc.QuerySelector("[data-testid='chart-threshold']")!;
        threshold.GetAttribute("data-value").ShouldBe("5");
        Number(threshold.GetAttribute("y1")).ShouldBe(100 - (5 / 44.0 * 100), tolerance: 0.001);
        var shaded = doc.QuerySelectorAll("[data-testid='chart-alarm-period']").ShouldHaveSingleItem();
        Number(shaded.GetAttribute("x")).ShouldBe(700);
        Number(shaded.GetAttribute("width")).ShouldBe(300);
        shaded.GetAttribute("data-from").ShouldBe("2026-11-22T10:07:00Z");
        doc.QuerySelector("[data-testid='chart-max']")!.TextContent.ShouldBe("44");
        doc.QuerySelectorAll("[data-testid='chart-line']").Length.ShouldBe(1);
        doc.QuerySelector("[data-testid='chart-caption']")!.TextContent.ShouldContain("Latest 40 at 10:09:00, highest 40 at 10:05:00; 1 stretch in ALARM.");
        doc.QuerySelector("[data-testid='chart-empty']").ShouldBeNull();
    }

    [Fact]
    public async Task Render_NoDatapoints_SaysSoAndDrawsNoLine_AnomalyAlarmHasNoThreshold()
    {
        var doc = await RenderAsync(new MetricSeries("Latency", 60, []), threshold: null, [], AlarmState.InsufficientData, From.AddHours(-1));

        doc.QuerySelector("[data-testid='chart-empty']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='chart-line']").ShouldBeNull();
        doc.QuerySelector("[data-testid='chart-threshold']").ShouldBeNull();
        doc.QuerySelector("[data-testid='chart-alarm-period']").ShouldBeNull();
    }

    [Fact]
    public async Task Render_LoneDatapointBetweenGaps_IsStillDrawn()
    {
        var series = new MetricSeries("CPUUtilization", 60, [new(From.AddMinutes(1), 10), new(From.AddMinutes(5), 20), new(From.AddMinutes(6), 30)]);

        var doc = await RenderAsync(series, threshold: 90, [], AlarmState.Ok, From.AddHours(-1));

        var lines = doc.QuerySelectorAll("[data-testid='chart-line']");
        lines.Select(l => l.LocalName).ShouldBe(["line", "polyline"]);
        Number(lines[0].GetAttribute("x1")).ShouldBe(100);
    }
}
