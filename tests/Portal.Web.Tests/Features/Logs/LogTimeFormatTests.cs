using Portal.Web.Features.Logs;

namespace Portal.Web.Tests.Features.Logs;

/// <summary>Times as Discover writes them: the user's zone, milliseconds, bucket widths in words.</summary>
public sealed class LogTimeFormatTests
{
    [Fact]
    public void Full_ConvertsToTheZoneWithMilliseconds()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("Test/Minus3", TimeSpan.FromHours(-3), "Minus3", "Minus3");
        var at = new DateTimeOffset(2026, 11, 22, 1, 2, 3, 45, TimeSpan.Zero);

        LogTimeFormat.Full(at, zone).ShouldBe("2026-11-21 22:02:03.045");
        LogTimeFormat.Full(at, TimeZoneInfo.Utc).ShouldBe("2026-11-22 01:02:03.045");
    }

    [Theory]
    [InlineData("Europe/Berlin", "Europe/Berlin")]
    [InlineData("Not/AZone", "UTC")]
    [InlineData(null, "UTC")]
    public void Resolve_UnknownZone_FallsBackToUtc(string? id, string expected) =>
        LogTimeFormat.ZoneName(LogTimeFormat.Resolve(id)).ShouldBe(expected);

    [Theory]
    [InlineData(30, "per 30 seconds")]
    [InlineData(60, "per minute")]
    [InlineData(10_800, "per 3 hours")]
    [InlineData(604_800, "per 7 days")]
    public void Interval_InWords(int seconds, string expected) => LogTimeFormat.Interval(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);

    [Theory]
    [InlineData("now-1h")]
    [InlineData("2026-11-22")]
    [InlineData("2026-11-22T10:00:00Z")]
    [InlineData("2026-11-22T10:00:00+02:00")]
    [InlineData("2026-11-22T10:00:00||-1h")]
    public void NormalizeTyped_RelativeDatesAndExplicitOffsets_KeptAsTyped(string text) =>
        LogTimeFormat.NormalizeTyped(text, LogTimeFormat.Resolve("Europe/Berlin")).ShouldBe(text);
}
