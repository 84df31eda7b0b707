using Portal.Web.Features.Logs;

namespace Portal.Web.Tests.Features.Logs;

/// <summary>What the time picker accepts before it puts a range in the URL, and the error it names under each input.</summary>
public sealed class LogTimePickerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.CreateCustomTimeZone("Test/Plus1", TimeSpan.FromHours(1), "Plus1", "Plus1");

    [Fact]
    public void Check_RelativeExpressions_PassAsTyped()
    {
        var (from, to, fromError, toError) = LogTimePicker.Check("now-1h", "now", Now, TimeZoneInfo.Utc);

        (from, to, fromError, toError).ShouldBe(("now-1h", "now", (string?)null, (string?)null));
    }

    [Fact]
    public void Check_LocalTimeWithoutOffset_BecomesAbsoluteUtc()
    {
        var (from, to, fromError, toError) = LogTimePicker.Check("2026-11-22 10:00", "2026-11-22T11:30:00+01:00", Now, Berlin);

        from.ShouldBe("2026-11-22T09:00:00.000Z");
        to.ShouldBe("2026-11-22T11:30:00+01:00");
        fromError.ShouldBeNull();
        toError.ShouldBeNull();
    }

    [Fact]
    public void Check_Gibberish_NamesTheInput()
    {
        var (_, _, fromError, toError) = LogTimePicker.Check("yesterday-ish", "now", Now, TimeZoneInfo.Utc);

        fromError.ShouldNotBeNull().ShouldContain("yesterday-ish");
        toError.ShouldBeNull();
    }

    [Fact]
    public void Check_ToBeforeFrom_IsAnErrorOnTo()
    {
        var (_, _, fromError, toError) = LogTimePicker.Check("now-1h", "now-2h", Now, TimeZoneInfo.Utc);

        fromError.ShouldBeNull();
        toError.ShouldNotBeNull().ShouldStartWith("must be after from");
    }
}
