using Portal.Core.Alarms;
using Portal.Web.Features.Alarms;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>The CloudTrail timeline's filters: read from the URL, turned into one page's lookup, and which one CloudTrail gets.</summary>
public sealed class TrailSearchTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_ThenToFilter_SpansTheRangeUpToTheGivenEnd()
    {
        var search = TrailSearch.Parse(" olly ", "PutMetricAlarm", null, "false", "7d");

        var filter = search.ToFilter(Now, 50, "token-2");

        filter.ShouldBe(new TrailFilter
        {
            From = Now.AddDays(-7),
            To = Now,
            Username = "olly",
            EventName = "PutMetricAlarm",
            ReadOnly = false,
            Limit = 50,
            NextToken = "token-2",
        });
    }

    [Theory]
    [InlineData("olly", "PutMetricAlarm", null, null, "user")]
    [InlineData(null, "PutMetricAlarm", "cart", "true", "event name")]
    [InlineData(null, null, "cart", "true", "resource")]
    [InlineData(null, null, null, "true", "read-only")]
    [InlineData(null, null, null, null, null)]
    public void SentToCloudTrail_IsTheFirstFilterSet(string? user, string? eventName, string? resource, string? readOnly, string? expected) =>
        TrailSearch.Parse(user, eventName, resource, readOnly, null).SentToCloudTrail.ShouldBe(expected);

    [Fact]
    public void Parse_UnknownRangeAndReadOnly_FallBackToTheDefaults()
    {
        var search = TrailSearch.Parse(null, null, null, "maybe", "3w");

        search.Range.ShouldBe(TrailSearch.DefaultRange);
        search.Span.ShouldBe(TimeSpan.FromHours(24));
        search.ReadOnly.ShouldBeNull();
        search.ToUrlQuery().Values.ShouldAllBe(v => v == null);
    }
}
