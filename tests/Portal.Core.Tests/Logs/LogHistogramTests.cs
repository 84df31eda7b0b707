using Portal.Core.Logs;

namespace Portal.Core.Tests.Logs;

public class LogHistogramTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 18, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(10, 1)]
    [InlineData(15 * 60, 10)]
    [InlineData(30 * 60, 30)]
    [InlineData(3600, 30)]
    [InlineData(4 * 3600, 5 * 60)]
    [InlineData(12 * 3600, 10 * 60)]
    [InlineData(24 * 3600, 30 * 60)]
    [InlineData(7 * 86400, 3 * 3600)]
    [InlineData(30 * 86400, 12 * 3600)]
    [InlineData(90 * 86400, 86400)]
    [InlineData(3650 * 86400, 7 * 86400)]
    public void IntervalFor_QuickRanges_NiceInterval(int seconds, int intervalSeconds) =>
        LogHistogram.IntervalFor(Start, Start.AddSeconds(seconds)).ShouldBe(TimeSpan.FromSeconds(intervalSeconds));

    [Fact]
    public void IntervalFor_EmptyOrReversedRange_OneSecond()
    {
        LogHistogram.IntervalFor(Start, Start).ShouldBe(TimeSpan.FromSeconds(1));
        LogHistogram.IntervalFor(Start, Start.AddHours(-1)).ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void IntervalFor_RangesFromTwoMinutesToFourMonths_24To120Buckets()
    {
        for (var seconds = 121; seconds <= 120 * 86400; seconds = (seconds * 11 / 10) + 1)
        {
            var to = Start.AddSeconds(seconds);
            var interval = LogHistogram.IntervalFor(Start, to);
            var buckets = (to - Start) / interval;

            buckets.ShouldBeInRange(24, 120, $"{seconds}s by {interval}");
        }
    }

    [Theory]
    [InlineData("2026-11-18T10:07:42.5Z", 300, "2026-11-18T10:05:00Z")]
    [InlineData("2026-11-18T10:05:00Z", 300, "2026-11-18T10:05:00Z")]
    [InlineData("2026-11-18T12:07:42+02:00", 300, "2026-11-18T10:05:00Z")]
    [InlineData("2026-11-18T10:07:42Z", 3 * 3600, "2026-11-18T09:00:00Z")]
    [InlineData("2026-11-18T10:07:42Z", 86400, "2026-11-18T00:00:00Z")]
    [InlineData("2026-11-18T10:07:42Z", 7 * 86400, "2026-11-12T00:00:00Z")]
    [InlineData("1969-12-31T23:59:59Z", 60, "1969-12-31T23:59:00Z")]
    public void BucketStart_FloorsInUnixTimeUtc(string time, int intervalSeconds, string expected)
    {
        var start = LogHistogram.BucketStart(Parse(time), TimeSpan.FromSeconds(intervalSeconds));

        start.ShouldBe(Parse(expected));
        start.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void BucketStart_NonPositiveInterval_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => LogHistogram.BucketStart(Start, TimeSpan.Zero));

    [Fact]
    public void Fill_SparseCounts_EveryBucketWithZeros()
    {
        var interval = TimeSpan.FromMinutes(5);
        var counts = new Dictionary<DateTimeOffset, long>
        {
            [Start.AddMinutes(5)] = 3,
            [Start.AddMinutes(17)] = 2,
            [Start.AddMinutes(19)] = 4,
            [Start.AddHours(-1)] = 100,
            [Start.AddHours(1)] = 100,
        };

        var buckets = LogHistogram.Fill(Start.AddMinutes(2), Start.AddMinutes(21), interval, counts);

        buckets.ShouldBe(
        [
            new LogHistogramBucket(Start, 0),
            new LogHistogramBucket(Start.AddMinutes(5), 3),
            new LogHistogramBucket(Start.AddMinutes(10), 0),
            new LogHistogramBucket(Start.AddMinutes(15), 6),
            new LogHistogramBucket(Start.AddMinutes(20), 0),
        ]);
    }

    [Fact]
    public void Fill_FromEqualsTo_OneBucket() =>
        LogHistogram.Fill(Start, Start, TimeSpan.FromMinutes(1), []).ShouldBe([new LogHistogramBucket(Start, 0)]);

    [Fact]
    public void Fill_ToBeforeFrom_Empty() =>
        LogHistogram.Fill(Start, Start.AddHours(-1), TimeSpan.FromMinutes(1), []).ShouldBeEmpty();

    [Fact]
    public void Fill_TooManyBuckets_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => LogHistogram.Fill(Start, Start.AddDays(30), TimeSpan.FromSeconds(1), []))
            .Message.ShouldContain("at most 65536");

    private static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
