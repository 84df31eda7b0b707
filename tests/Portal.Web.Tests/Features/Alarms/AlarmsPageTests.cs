using Portal.Core.Alarms;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>The board as the server first renders it: narrowed to what the person may see, grouped, counted, filtered from the URL; and the top bar's counter.</summary>
[Collection(AlarmPagesCollection.Name)]
public sealed class AlarmsPageTests(AlarmPagesFixture app) : IAsyncLifetime
{
    private static readonly DateTimeOffset Fired = DateTimeOffset.UtcNow.AddMinutes(-7);

    public async Task InitializeAsync() => await app.SetAlarmsAsync(
        TestAlarms.Metric("dev/board/5xx-rate", AlarmState.Alarm, Fired, "critical"),
        TestAlarms.Metric("dev/board/cpu-high", AlarmState.Ok, Fired.AddHours(-2)),
        TestAlarms.Metric("staging/board/cpu-high", AlarmState.InsufficientData, Fired, "info"),
        TestAlarms.Metric("prod/board/5xx-rate", AlarmState.Alarm, Fired.AddMinutes(2), "high"),
        TestAlarms.Metric("board-export-failed", AlarmState.Alarm, Fired));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Board_Developer_SeesOnlyTheirEnvironmentsAlarmsGroupedByState_WithCountsAndTheTopBarCounter()
    {
        using var dev = await app.Factory.SignInAsync("dev");

        var doc = await app.PageAsync(dev, "/alarms");

        doc.QuerySelector("[data-testid='page-alarms']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='not-built']").ShouldBeNull();
        doc.QuerySelectorAll("[data-testid='alarm-row']").Select(r => r.GetAttribute("data-alarm"))
            .ShouldBe(["dev/board/5xx-rate", "staging/board/cpu-high", "dev/board/cpu-high"], "no prod (dev is no Viewer there), no unplaced alarm (that needs organisation-wide access)");
        doc.QuerySelectorAll("[data-testid='alarm-group']").Select(g => g.GetAttribute("data-group")).ShouldBe(["alarm", "insufficient-data", "ok"]);
        Count(doc, "count-firing").ShouldBe("1");
        Count(doc, "count-unacknowledged").ShouldBe("1");
        Count(doc, "count-insufficient").ShouldBe("1");
        Count(doc, "count-ok").ShouldBe("1");
        Count(doc, "count-snoozed").ShouldBe("0");
        var counter = doc.QuerySelector("[data-testid='alarm-counter']").ShouldNotBeNull();
        counter.GetAttribute("data-firing").ShouldBe("1");
        counter.GetAttribute("data-unacknowledged").ShouldBe("1");
        counter.ClassList.ShouldContain("unacknowledged");
        counter.GetAttribute("href").ShouldBe("alarms");
        doc.QuerySelector("[data-testid='alarm-read-at']")!.TextContent.Trim().ShouldStartWith("Read ");
        doc.QuerySelectorAll("[data-testid='filter-environment'] option").Select(o => o.GetAttribute("value")).ShouldBe(["", "dev", "test", "staging"]);
        doc.QuerySelectorAll("[data-testid='filter-service'] option").Select(o => o.GetAttribute("value")).ShouldBe(["", "board"]);
        doc.QuerySelector("[data-testid='alarm-problems']").ShouldBeNull();
    }

    [Fact]
    public async Task Board_FiltersFromTheUrl_ListOnlyMatchingAlarms_WhileCountsCoverEverything()
    {
        using var oncall = await app.Factory.SignInAsync("oncall");

        var firingInProd = await app.PageAsync(oncall, "/alarms?state=alarm&environment=prod");
        var critical = await app.PageAsync(oncall, "/alarms?severity=CRITICAL");
        var text = await app.PageAsync(oncall, "/alarms?q=export");
        var none = await app.PageAsync(oncall, "/alarms?environment=test");

        Rows(firingInProd).ShouldBe(["prod/board/5xx-rate"]);
        Count(firingInProd, "count-firing").ShouldBe("3", "the counts are over every alarm the person may see");
        Rows(critical).ShouldBe(["dev/board/5xx-rate"]);
        Rows(text).ShouldBe(["board-export-failed"]);
        Rows(none).ShouldBeEmpty();
        none.QuerySelector("[data-testid='alarm-board-empty']")!.TextContent.ShouldBe("No alarms match these filters.");
        none.QuerySelector("[data-testid='filter-clear']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Board_AccountThatCannotBeRead_IsNamedInABanner_AndTheLastAlarmsStay()
    {
        app.Source.Failure = new AlarmSourceException(AwsFailure.Credentials, "The AWS credentials for account 'test' have expired.");
        await app.ReadAsync();
        using var viewer = await app.Factory.SignInAsync("viewer");

        var doc = await app.PageAsync(viewer, "/alarms");

        doc.QuerySelectorAll("[data-testid='alarm-problem']").Select(p => p.TextContent).ShouldBe(["The AWS credentials for account 'test' have expired."]);
        Rows(doc).ShouldContain("dev/board/5xx-rate");
    }

    [Fact]
    public async Task Board_SignedOut_RedirectsToSignIn()
    {
        using var anonymous = app.Factory.CreateAnonymousClient();

        var response = await anonymous.GetAsync(new Uri("/alarms", UriKind.Relative));

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("/account/login");
    }

    private static string Count(AngleSharp.Dom.IDocument doc, string testId) =>
        doc.QuerySelector($"[data-testid='{testId}'] .alarm-count-value")!.TextContent;

    private static List<string?> Rows(AngleSharp.Dom.IDocument doc) =>
        [.. doc.QuerySelectorAll("[data-testid='alarm-row']").Select(r => r.GetAttribute("data-alarm"))];
}
