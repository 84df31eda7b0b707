using Portal.Core.Logs;
using Portal.Web.Features.Logs;

namespace Portal.Web.Tests.Features.Logs;

/// <summary>The Discover URL: what a shared link restores, exactly.</summary>
public sealed class DiscoverStateTests
{
    private static readonly DiscoverState Full = new()
    {
        Query = "level:error and not path:\"/health z\"",
        From = "now-1h",
        To = "2026-11-22T10:00:00.000Z",
        Environment = "dev",
        Columns = ["level", "log"],
        Filters = [new LogFilter("kubernetes.pod_name", "checkout-1"), new LogFilter("level", "debug", Negate: true), new LogFilter("path", "a:b&c=d")],
        Refresh = "10s",
        Live = true,
    };

    [Fact]
    public void Parse_TheDocumentedExample_ReadsEveryKey()
    {
        var state = DiscoverState.Parse("?q=level%3Aerror&from=now-15m&to=now&env=dev&cols=level,log&f=kubernetes.pod_name:checkout-1&f=-level:debug&refresh=10s&live=1");

        state.Query.ShouldBe("level:error");
        state.From.ShouldBe("now-15m");
        state.To.ShouldBe("now");
        state.Environment.ShouldBe("dev");
        state.Columns.ShouldBe(["level", "log"]);
        state.Filters.ShouldBe([new LogFilter("kubernetes.pod_name", "checkout-1"), new LogFilter("level", "debug", Negate: true)]);
        state.Refresh.ShouldBe("10s");
        state.RefreshEvery.ShouldBe(TimeSpan.FromSeconds(10));
        state.Live.ShouldBeTrue();
    }

    [Fact]
    public void ParseFormatParse_FullState_RoundTripsExactly()
    {
        var text = Full.ToQueryString();

        var parsed = DiscoverState.Parse(text);

        parsed.ShouldBe(Full);
        parsed.Filters.ShouldBe(Full.Filters);
        parsed.Columns.ShouldBe(Full.Columns);
        parsed.ToQueryString().ShouldBe(text);
        DiscoverState.Parse(parsed.ToQueryString()).ShouldBe(parsed);
    }

    [Fact]
    public void ToQueryString_NegatedPill_WritesLeadingMinusAndSplitsOnFirstColon()
    {
        var state = new DiscoverState { Filters = [new LogFilter("level", "debug", Negate: true), new LogFilter("url", "http://x:80/")] };

        var text = state.ToQueryString();

        text.ShouldContain("f=-level%3Adebug");
        DiscoverState.Parse(text).Filters.ShouldBe([new LogFilter("level", "debug", Negate: true), new LogFilter("url", "http://x:80/")]);
    }

    [Theory]
    [InlineData("level:", "level", "", false)]
    [InlineData("-kubernetes.labels.app:web", "kubernetes.labels.app", "web", true)]
    [InlineData("-a:-b:c", "a", "-b:c", true)]
    public void ParseFilter_SplitsOnTheFirstColon(string text, string field, string value, bool negate) =>
        DiscoverState.ParseFilter(text).ShouldBe(new LogFilter(field, value, negate));

    [Theory]
    [InlineData("")]
    [InlineData("novalue")]
    [InlineData(":value")]
    [InlineData("-:value")]
    public void ParseFilter_NoField_IsIgnored(string text) => DiscoverState.ParseFilter(text).ShouldBeNull();

    [Fact]
    public void Parse_EmptyOrUnknown_GivesKibanasDefaults()
    {
        var state = DiscoverState.Parse("env=&refresh=7s&live=0&other=1");

        state.ShouldBe(new DiscoverState());
        state.From.ShouldBe("now-15m");
        state.To.ShouldBe("now");
        state.Environment.ShouldBeNull();
        state.Refresh.ShouldBe("");
        state.RefreshEvery.ShouldBe(Timeout.InfiniteTimeSpan);
    }

    [Fact]
    public void SameSearch_ColumnsRefreshAndLive_DoNotCount()
    {
        var other = Full with { Columns = ["status"], Refresh = "", Live = false };

        Full.SameSearch(other).ShouldBeTrue();
        Full.SameSearch(Full with { Filters = [.. Full.Filters.Take(2)] }).ShouldBeFalse();
        Full.SameSearch(Full with { Environment = null }).ShouldBeFalse();
        Full.Equals(other).ShouldBeFalse();
    }

    [Fact]
    public void WithFilter_SameFieldAndValue_ReplacesThePill()
    {
        var state = new DiscoverState().WithFilter(new LogFilter("level", "info")).WithFilter(new LogFilter("pod", "a"));

        var flipped = state.WithFilter(new LogFilter("level", "info", Negate: true));

        flipped.Filters.ShouldBe([new LogFilter("pod", "a"), new LogFilter("level", "info", Negate: true)]);
    }

    [Fact]
    public void WithColumnToggled_AddsThenRemoves()
    {
        var state = new DiscoverState { Columns = ["level"] };

        state.WithColumnToggled("log").Columns.ShouldBe(["level", "log"]);
        state.WithColumnToggled("level").Columns.ShouldBeEmpty();
    }

    [Fact]
    public void FromSaved_ToSaved_KeepsQueryRangeEnvironmentColumnsAndFilters()
    {
        var restored = DiscoverState.FromSaved(Full.ToSaved());

        restored.ShouldBe(Full with { Refresh = "", Live = false });
    }

    [Fact]
    public void FormatInstant_IsUtcWithMilliseconds()
    {
        var at = new DateTimeOffset(2026, 11, 22, 11, 30, 5, 123, TimeSpan.FromHours(1));

        DiscoverState.FormatInstant(at).ShouldBe("2026-11-22T10:30:05.123Z");
        LogTimeRange.TryParse(DiscoverState.FormatInstant(at), at, roundUp: false, out var back, out _).ShouldBeTrue();
        back.ShouldBe(at);
    }
}
