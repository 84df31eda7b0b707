using Portal.Core.Logs;
using Portal.Web.Features.Logs;

namespace Portal.Web.Tests.Features.Logs;

/// <summary>The histogram's arithmetic: bar scale, where instants fall, what a drag selects, where the ticks go.</summary>
public sealed class HistogramGeometryTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddMinutes(10);

    [Fact]
    public void Bars_ScaleToTheBusiestBucket_AndSpanTheirInterval()
    {
        LogHistogramBucket[] buckets = [new(From, 5), new(From.AddMinutes(5), 20)];

        var bars = HistogramGeometry.Bars(buckets, TimeSpan.FromMinutes(5), From, To);

        bars.Count.ShouldBe(2);
        bars[0].X.ShouldBe(0);
        bars[0].BarWidth.ShouldBe(500, tolerance: 1e-9);
        bars[0].BarHeight.ShouldBe(25, tolerance: 1e-9);
        bars[1].X.ShouldBe(500, tolerance: 1e-9);
        bars[1].BarHeight.ShouldBe(HistogramGeometry.Height);
        bars[1].End.ShouldBe(To);
    }

    [Fact]
    public void Bars_BucketStartingBeforeTheRange_IsCutAtTheLeftEdge()
    {
        var bars = HistogramGeometry.Bars([new(From.AddMinutes(-2), 3)], TimeSpan.FromMinutes(5), From, To);

        bars[0].X.ShouldBe(0);
        bars[0].BarWidth.ShouldBe(300, tolerance: 1e-9);
    }

    [Fact]
    public void Bars_AllEmpty_HaveNoHeight()
    {
        var bars = HistogramGeometry.Bars([new(From, 0), new(From.AddMinutes(5), 0)], TimeSpan.FromMinutes(5), From, To);

        bars.ShouldAllBe(b => b.BarHeight == 0);
        HistogramGeometry.Max([new(From, 0)]).ShouldBe(0);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(150, 250)]
    [InlineData(600, 1000)]
    [InlineData(-60, 0)]
    [InlineData(900, 1000)]
    public void X_IsTheShareOfTheRange_Clamped(int seconds, double expected) =>
        HistogramGeometry.X(From.AddSeconds(seconds), From, To).ShouldBe(expected, tolerance: 1e-9);

    [Fact]
    public void Selection_DraggedRightToLeft_GivesTheRangeBetweenInOrder()
    {
        var range = HistogramGeometry.Selection(0.75, 0.25, From, To);

        range.ShouldNotBeNull();
        range.Value.From.ShouldBe(From.AddMinutes(2.5));
        range.Value.To.ShouldBe(From.AddMinutes(7.5));
    }

    [Fact]
    public void Selection_BeyondTheEdges_IsClampedToTheRange()
    {
        var range = HistogramGeometry.Selection(-0.3, 1.4, From, To);

        range.ShouldBe((From, To));
    }

    [Fact]
    public void Selection_RoundsOutwardsToMilliseconds()
    {
        var from = From;
        var to = From.AddSeconds(1);

        // 1/3 and 2/3 of a second: 333.33… ms and 666.66… ms.
        var range = HistogramGeometry.Selection(1.0 / 3, 2.0 / 3, from, to)!.Value;

        range.From.ShouldBe(from.AddMilliseconds(333));
        range.To.ShouldBe(from.AddMilliseconds(667));
    }

    [Theory]
    [InlineData(0.5, 0.5)]
    [InlineData(0.5, 0.503)]
    [InlineData(double.NaN, 0.5)]
    public void Selection_TooNarrowOrNotANumber_IsNoZoom(double a, double b) =>
        HistogramGeometry.Selection(a, b, From, To).ShouldBeNull();

    [Fact]
    public void Ticks_TenMinutesInUtc_FallOnRoundMinutes()
    {
        var (ticks, step) = HistogramGeometry.Ticks(From.AddSeconds(20), To.AddSeconds(20), TimeZoneInfo.Utc);

        step.ShouldBe(TimeSpan.FromMinutes(2));
        ticks.Select(t => t.At.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(["10:02:00", "10:04:00", "10:06:00", "10:08:00", "10:10:00"]);
        ticks[0].X.ShouldBe(HistogramGeometry.X(From.AddMinutes(2), From.AddSeconds(20), To.AddSeconds(20)), tolerance: 1e-9);
    }

    [Fact]
    public void Ticks_InAZoneWithAHalfHourOffset_FallOnItsRoundHours()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("Plus0530", TimeSpan.FromHours(5.5), "Plus0530", "Plus0530");
        var from = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

        var (ticks, step) = HistogramGeometry.Ticks(from, from.AddHours(12), zone);

        step.ShouldBe(TimeSpan.FromHours(2));
        ticks.ShouldNotBeEmpty();
        ticks.ShouldAllBe(t => TimeZoneInfo.ConvertTime(t.At, zone).Minute == 0 && TimeZoneInfo.ConvertTime(t.At, zone).Hour % 2 == 0);
        LogTimeFormat.Axis(ticks[0].At, step, TimeSpan.FromHours(12), zone).ShouldBe("06:00");
    }
}
