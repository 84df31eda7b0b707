using Portal.Core.Alarms;
using Portal.Web.Features.Alarms;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>The alarm graph's arithmetic: the value scale, the line's gaps, and the stretches in ALARM from the history.</summary>
public sealed class AlarmChartGeometryTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddMinutes(100);

    private static AlarmHistoryItem Change(int minute, AlarmState from, AlarmState to) =>
        new(From.AddMinutes(minute), AlarmHistoryKind.StateUpdate, $"Alarm updated from {from} to {to}", from, to);

    [Fact]
    public void Scale_PositiveValues_StartsAtZeroAndLeavesATenthAboveTheHighestOfValuesAndThreshold()
    {
        var scale = AlarmChartGeometry.Scale([new(From, 20), new(From.AddMinutes(1), 40)], threshold: 80);

        scale.Min.ShouldBe(0);
        scale.Max.ShouldBe(88, tolerance: 1e-9);
        AlarmChartGeometry.Y(0, scale).ShouldBe(AlarmChartGeometry.Height);
        AlarmChartGeometry.Y(44, scale).ShouldBe(50, tolerance: 1e-9);
    }

    [Fact]
    public void Scale_NegativeValues_ReachBelowZero_AndAllZeroStillHasAHeight()
    {
        var negative = AlarmChartGeometry.Scale([new(From, -10), new(From.AddMinutes(1), 10)], threshold: null);
        var flat = AlarmChartGeometry.Scale([new(From, 0)], threshold: null);

        negative.Min.ShouldBe(-10);
        negative.Max.ShouldBe(12, tolerance: 1e-9);
        flat.Max.ShouldBeGreaterThan(flat.Min);
    }

    [Fact]
    public void Runs_AMissingPeriod_BreaksTheLine()
    {
        var series = new MetricSeries("HTTP5xxRate", 60,
        [
            new(From, 1), new(From.AddMinutes(1), 2), new(From.AddMinutes(2), 3),
            new(From.AddMinutes(5), 4),
            new(From.AddMinutes(6), 5),
        ]);

        var runs = AlarmChartGeometry.Runs(series, From, To, (0, 10));

        runs.Select(r => r.Count).ShouldBe([3, 2], "minutes 3 and 4 have no datapoint");
        runs[0][1].X.ShouldBe(10, tolerance: 1e-9);
        runs[0][1].Y.ShouldBe(80, tolerance: 1e-9);
        runs[1][0].X.ShouldBe(50, tolerance: 1e-9);
    }

    [Fact]
    public void AlarmPeriods_FromStateUpdates_ShadeEachStretchInAlarmUntilItLeft()
    {
        // OK → ALARM at 10, ALARM → OK at 30, OK → ALARM at 60, still in ALARM.
        AlarmHistoryItem[] history =
        [
            Change(60, AlarmState.Ok, AlarmState.Alarm),
            new(From.AddMinutes(45), AlarmHistoryKind.ConfigurationUpdate, "Alarm updated", null, null),
            Change(30, AlarmState.Alarm, AlarmState.Ok),
            Change(10, AlarmState.Ok, AlarmState.Alarm),
        ];

        var spans = AlarmChartGeometry.AlarmPeriods(history, AlarmState.Alarm, From.AddMinutes(60), From, To);

        spans.Select(s => (s.From, s.To)).ShouldBe([(From.AddMinutes(10), From.AddMinutes(30)), (From.AddMinutes(60), To)]);
        spans[0].X.ShouldBe(100, tolerance: 1e-9);
        spans[0].SpanWidth.ShouldBe(200, tolerance: 1e-9);
        spans[1].SpanWidth.ShouldBe(400, tolerance: 1e-9);
    }

    [Fact]
    public void AlarmPeriods_AlreadyInAlarmWhenTheRangeStarts_ShadeFromItsStart()
    {
        var spans = AlarmChartGeometry.AlarmPeriods([Change(20, AlarmState.Alarm, AlarmState.InsufficientData)], AlarmState.InsufficientData, From.AddMinutes(20), From, To);

        spans.Select(s => (s.From, s.To)).ShouldBe([(From, From.AddMinutes(20))]);
    }

    [Fact]
    public void AlarmPeriods_NoChangeInRange_FollowTheCurrentState()
    {
        var alarmAllAlong = AlarmChartGeometry.AlarmPeriods([], AlarmState.Alarm, From.AddHours(-5), From, To);
        var okAllAlong = AlarmChartGeometry.AlarmPeriods([], AlarmState.Ok, From.AddHours(-5), From, To);

        alarmAllAlong.Select(s => (s.From, s.To)).ShouldBe([(From, To)]);
        okAllAlong.ShouldBeEmpty();
    }

    [Fact]
    public void AlarmPeriods_HistoryLaggingBehindTheAlarm_TrustsTheCurrentStateSinceItChanged()
    {
        // The history's last word is OK at 30; the alarm itself says ALARM since 80 (the history has not caught up).
        var spans = AlarmChartGeometry.AlarmPeriods([Change(30, AlarmState.Alarm, AlarmState.Ok)], AlarmState.Alarm, From.AddMinutes(80), From, To);

        spans.Select(s => (s.From, s.To)).ShouldBe([(From, From.AddMinutes(30)), (From.AddMinutes(80), To)]);
    }

    [Fact]
    public void AlarmPeriods_BackToBackAlarmEpisodes_AreOneStretch()
    {
        AlarmHistoryItem[] history = [Change(10, AlarmState.Ok, AlarmState.Alarm), Change(20, AlarmState.Alarm, AlarmState.Alarm)];

        var spans = AlarmChartGeometry.AlarmPeriods(history, AlarmState.Alarm, From.AddMinutes(20), From, To);

        spans.Select(s => (s.From, s.To)).ShouldBe([(From.AddMinutes(10), To)]);
    }
}
