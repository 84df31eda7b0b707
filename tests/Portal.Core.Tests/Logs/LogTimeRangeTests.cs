using Portal.Core.Logs;

namespace Portal.Core.Tests.Logs;

public class LogTimeRangeTests
{
    // Thursday 01:37 two hours east of UTC is Wednesday 23:37 UTC: arithmetic and rounding in UTC are visible.
    private static readonly DateTimeOffset Now = new(2026, 11, 19, 1, 37, 42, 123, TimeSpan.FromHours(2));

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    private static DateTimeOffset Parse(string text, bool roundUp = false)
    {
        LogTimeRange.TryParse(text, Now, roundUp, out var value, out var error).ShouldBeTrue(error);
        error.ShouldBeNull();
        value.Offset.ShouldBe(TimeSpan.Zero);
        return value;
    }

    [Theory]
    [InlineData("2026-11-01", "2026-11-01T00:00:00Z")]
    [InlineData("2026-11-01T10:00:00Z", "2026-11-01T10:00:00Z")]
    [InlineData("2026-11-01T10:00:00", "2026-11-01T10:00:00Z")]
    [InlineData("2026-11-01T10:00", "2026-11-01T10:00:00Z")]
    [InlineData("2026-11-01 10:00:00", "2026-11-01T10:00:00Z")]
    [InlineData("2026-11-01T10:00:00.250Z", "2026-11-01T10:00:00.250Z")]
    [InlineData("2026-11-01T12:00:00+02:00", "2026-11-01T10:00:00Z")]
    [InlineData("2026-11-01T05:30:00-04:30", "2026-11-01T10:00:00Z")]
    [InlineData("  2026-11-01T10:00:00Z ", "2026-11-01T10:00:00Z")]
    public void TryParse_Absolute_UtcInstant(string text, string expected) =>
        Parse(text).ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void TryParse_DateOnlyRoundedUp_EndOfThatDay() =>
        Parse("2026-11-01", roundUp: true).ShouldBe(Utc(2026, 11, 2).AddTicks(-1));

    [Fact]
    public void TryParse_FullTimeRoundedUp_Unchanged() =>
        Parse("2026-11-01T10:00:00Z", roundUp: true).ShouldBe(Utc(2026, 11, 1, 10));

    [Theory]
    [InlineData("now", 0)]
    [InlineData("now-15m", -15 * 60)]
    [InlineData("now-1h", -3600)]
    [InlineData("now-30s", -30)]
    [InlineData("now+1h", 3600)]
    [InlineData("now-7d", -7 * 86400)]
    [InlineData("now-1w", -7 * 86400)]
    [InlineData("now-2H", -7200)]
    [InlineData("now-h", -3600)]
    [InlineData("now-1h+30m", -1800)]
    public void TryParse_DateMath_OffsetFromNow(string text, int seconds) =>
        Parse(text).ShouldBe(Now.AddSeconds(seconds));

    [Fact]
    public void TryParse_MonthsAndYears_CalendarArithmetic()
    {
        Parse("now-1M").ShouldBe(new DateTimeOffset(2026, 10, 18, 23, 37, 42, 123, TimeSpan.Zero));
        Parse("now-1y").ShouldBe(new DateTimeOffset(2025, 11, 18, 23, 37, 42, 123, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("now/s", "2026-11-18T23:37:42Z")]
    [InlineData("now/m", "2026-11-18T23:37:00Z")]
    [InlineData("now/h", "2026-11-18T23:00:00Z")]
    [InlineData("now/d", "2026-11-18T00:00:00Z")]
    [InlineData("now/w", "2026-11-16T00:00:00Z")]
    [InlineData("now/M", "2026-11-01T00:00:00Z")]
    [InlineData("now/y", "2026-01-01T00:00:00Z")]
    [InlineData("now-1d/d", "2026-11-17T00:00:00Z")]
    [InlineData("now/d-1h", "2026-11-17T23:00:00Z")]
    [InlineData("2026-11-05T10:00:00Z||/M", "2026-11-01T00:00:00Z")]
    [InlineData("2026-11-05||+1d", "2026-11-06T00:00:00Z")]
    public void TryParse_Rounding_UtcStartOfUnit(string text, string expected) =>
        Parse(text).ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("now/d", "2026-11-19T00:00:00Z")]
    [InlineData("now/h", "2026-11-19T00:00:00Z")]
    [InlineData("now/w", "2026-11-23T00:00:00Z")]
    [InlineData("now/M", "2026-12-01T00:00:00Z")]
    [InlineData("now-1d/d", "2026-11-18T00:00:00Z")]
    [InlineData("2026-11-05||/d", "2026-11-06T00:00:00Z")]
    public void TryParse_RoundingUp_LastTickOfUnit(string text, string nextUnitStart) =>
        Parse(text, roundUp: true).ShouldBe(DateTimeOffset.Parse(nextUnitStart, System.Globalization.CultureInfo.InvariantCulture).AddTicks(-1));

    [Fact]
    public void TryParse_RoundUpWithoutRounding_NoEffect() =>
        Parse("now-15m", roundUp: true).ShouldBe(Now.AddMinutes(-15));

    [Theory]
    [InlineData(null, "Enter a time")]
    [InlineData("  ", "Enter a time")]
    [InlineData("yesterday", "neither an ISO 8601 time")]
    [InlineData("11/01/2026", "neither an ISO 8601 time")]
    [InlineData("2026-13-01", "neither an ISO 8601 time")]
    [InlineData("now-15x", "expected a unit (s, m, h, d, w, M or y) after '-15', found 'x'")]
    [InlineData("now-15", "after '-15', found nothing")]
    [InlineData("now*2", "expected '+', '-' or '/' at '*2'")]
    [InlineData("now/1d", "rounding takes a unit only")]
    [InlineData("now-9999999999d", "too large")]
    [InlineData("now+999999999y", "outside the years 0001 to 9999")]
    [InlineData("now-99999999w", "outside the years 0001 to 9999")]
    public void TryParse_Invalid_FalseWithError(string? text, string problem)
    {
        LogTimeRange.TryParse(text, Now, roundUp: false, out var value, out var error).ShouldBeFalse();

        value.ShouldBe(default);
        error.ShouldNotBeNull().ShouldContain(problem);
    }

    [Fact]
    public void QuickRanges_EveryEntry_ParsesWithFromNotAfterTo()
    {
        LogTimeRange.QuickRanges.Select(range => range.Label).ShouldBe(
        [
            "Last 15 minutes", "Last 30 minutes", "Last 1 hour", "Last 4 hours", "Last 12 hours", "Last 24 hours",
            "Last 7 days", "Last 30 days", "Today", "Yesterday",
        ]);
        foreach (var (label, from, to) in LogTimeRange.QuickRanges)
        {
            LogTimeRange.TryParse(from, Now, roundUp: false, out var start, out _).ShouldBeTrue(label);
            LogTimeRange.TryParse(to, Now, roundUp: true, out var end, out _).ShouldBeTrue(label);
            start.ShouldBeLessThan(end, label);
        }
    }

    [Fact]
    public void QuickRanges_TodayAndYesterday_WholeUtcDays()
    {
        var today = LogTimeRange.QuickRanges.Single(range => range.Label == "Today");
        var yesterday = LogTimeRange.QuickRanges.Single(range => range.Label == "Yesterday");

        Parse(today.From).ShouldBe(Utc(2026, 11, 18));
        Parse(today.To, roundUp: true).ShouldBe(Utc(2026, 11, 19).AddTicks(-1));
        Parse(yesterday.From).ShouldBe(Utc(2026, 11, 17));
        Parse(yesterday.To, roundUp: true).ShouldBe(Utc(2026, 11, 18).AddTicks(-1));
    }
}
