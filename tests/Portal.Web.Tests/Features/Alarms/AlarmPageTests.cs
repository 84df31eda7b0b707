using System.Net.Http.Json;
using Portal.Core.Alarms;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>One alarm's page as the server first renders it: the name from a path with slashes, the graph and history, triage and notes.</summary>
[Collection(AlarmPagesCollection.Name)]
public sealed class AlarmPageTests(AlarmPagesFixture app) : IAsyncLifetime
{
    private const string Name = "dev/page/latency p99";

    /// <summary>Triaged through the API by one test: the others see <see cref="Name"/> untouched whatever the order.</summary>
    private const string Triaged = "dev/page/triaged";
    private static readonly DateTimeOffset Fired = DateTimeOffset.UtcNow.AddMinutes(-20);

    public async Task InitializeAsync()
    {
        await app.SetAlarmsAsync(
            TestAlarms.Metric(Name, AlarmState.Alarm, Fired, "high") with { Description = "p99 latency of the page service" },
            TestAlarms.Metric("prod/page/5xx-rate", AlarmState.Alarm, Fired),
            TestAlarms.Metric(Triaged, AlarmState.Alarm, Fired));
        app.Source.History.Add(new(Fired, AlarmHistoryKind.StateUpdate, "Alarm updated from OK to ALARM", AlarmState.Ok, AlarmState.Alarm));
        app.Source.History.Add(new(Fired.AddMinutes(-90), AlarmHistoryKind.ConfigurationUpdate, "Alarm \"x\" created", null, null));
        app.Source.Metric = new MetricSeries("HTTP5xxRate", 60, [.. Enumerable.Range(0, 60).Select(i => new MetricPoint(Fired.AddMinutes(i - 40), i < 40 ? 1 : 12))]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AlarmPage_Operator_SeesWhatItSaysItsGraphHistoryAndTheTriageActions()
    {
        using var oncall = await app.Factory.SignInAsync("oncall");

        var doc = await app.PageAsync(oncall, "/alarms/dev/page/latency%20p99");

        doc.QuerySelector("[data-testid='alarm-name']")!.TextContent.ShouldBe(Name);
        doc.QuerySelector("[data-testid='alarm-header'] [data-testid='alarm-state']")!.GetAttribute("data-state").ShouldBe("ALARM");
        doc.QuerySelector("[data-testid='alarm-condition']")!.TextContent.ShouldBe("HTTP5xxRate above 5 for 2 of 3 periods of 1 minute");
        doc.QuerySelector("[data-testid='alarm-reason']")!.TextContent.ShouldBe("Threshold Crossed: state Alarm");
        doc.QuerySelector("[data-testid='alarm-description']")!.TextContent.ShouldBe("p99 latency of the page service");
        doc.QuerySelector("[data-testid='alarm-environment'] a")!.GetAttribute("href").ShouldBe("environments/dev");
        doc.QuerySelector("[data-testid='alarm-investigate']")!.GetAttribute("href").ShouldBe("investigate?alarm=dev%2Fpage%2Flatency%20p99");
        doc.QuerySelector("[data-testid='chart-threshold']")!.GetAttribute("data-value").ShouldBe("5");
        doc.QuerySelectorAll("[data-testid='chart-alarm-period']").ShouldHaveSingleItem().GetAttribute("data-from").ShouldBe(Portal.Web.Features.Alarms.AlarmLinks.Instant(Fired));
        doc.QuerySelectorAll("[data-testid='alarm-history-row']").Select(r => r.GetAttribute("data-kind")).ShouldBe(["StateUpdate", "ConfigurationUpdate"]);
        doc.QuerySelectorAll("[data-testid='alarm-range']").Select(r => r.GetAttribute("href"))
            .ShouldBe(["alarms/dev/page/latency%20p99?range=1h", "alarms/dev/page/latency%20p99", "alarms/dev/page/latency%20p99?range=12h", "alarms/dev/page/latency%20p99?range=24h"]);
        doc.QuerySelector("[data-testid='alarm-range'][aria-current='page']")!.GetAttribute("data-range").ShouldBe("3h");
        doc.QuerySelector("[data-testid='triage-ack']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='triage-assign-form']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='triage-snooze-form']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='triage-runbook-form']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='triage-denied']").ShouldBeNull();
        doc.QuerySelector("[data-testid='alarm-note-form']").ShouldNotBeNull();
    }

    [Fact]
    public async Task AlarmPage_Viewer_SeesNoTriageActionsButMayAddNotes()
    {
        using var viewer = await app.Factory.SignInAsync("viewer");

        var doc = await app.PageAsync(viewer, "/alarms/dev/page/latency%20p99?range=1h");

        doc.QuerySelector("[data-testid='alarm-name']")!.TextContent.ShouldBe(Name);
        doc.QuerySelector("[data-testid='triage-ack']").ShouldBeNull();
        doc.QuerySelector("[data-testid='triage-assign-form']").ShouldBeNull();
        doc.QuerySelector("[data-testid='triage-denied']")!.TextContent.ShouldStartWith("You may not triage this alarm:");
        doc.QuerySelector("[data-testid='alarm-note-form']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='alarm-range'][aria-current='page']")!.GetAttribute("data-range").ShouldBe("1h");
    }

    [Fact]
    public async Task AlarmPage_ShowsTriageAndNotesOthersMade()
    {
        using var oncall = await app.Factory.SignInAsync("oncall");
        var id = Uri.EscapeDataString(Triaged);
        (await oncall.PostAsync(new Uri($"/api/v1/alarms/{id}/ack", UriKind.Relative), null)).EnsureSuccessStatusCode();
        (await oncall.PostAsJsonAsync(new Uri($"/api/v1/alarms/{id}/assign", UriKind.Relative), new { assignee = "viewer" })).EnsureSuccessStatusCode();
        (await oncall.PostAsJsonAsync(new Uri($"/api/v1/alarms/{id}/notes", UriKind.Relative), new { text = "Rolling back cart to 1.3.9" })).EnsureSuccessStatusCode();
        using var viewer = await app.Factory.SignInAsync("viewer");

        var doc = await app.PageAsync(viewer, "/alarms/dev/page/triaged");

        doc.QuerySelector("[data-testid='triage-acknowledged']")!.TextContent.ShouldContain("by oncall at");
        doc.QuerySelector("[data-testid='alarm-acknowledged-badge']")!.TextContent.ShouldBe("Acknowledged by oncall");
        doc.QuerySelector("[data-testid='triage-assignee']")!.TextContent.ShouldBe("viewer");
        var note = doc.QuerySelectorAll("[data-testid='alarm-note']").ShouldHaveSingleItem();
        note.GetAttribute("data-author").ShouldBe("oncall");
        note.QuerySelector("[data-testid='alarm-note-text']")!.TextContent.ShouldBe("Rolling back cart to 1.3.9");
        note.QuerySelector("[data-testid='alarm-note-time']")!.TextContent.ShouldEndWith(" UTC");
    }

    [Theory]
    [InlineData("/alarms/dev%2Fpage%2Flatency%20p99")]
    [InlineData("/alarms/dev/page%2Flatency%20p99")]
    public async Task AlarmPage_NameWithEscapedSlashes_IsTheSameAlarm(string url)
    {
        using var viewer = await app.Factory.SignInAsync("viewer");

        var doc = await app.PageAsync(viewer, url);

        doc.QuerySelector("[data-testid='alarm-name']")!.TextContent.ShouldBe(Name);
    }

    [Theory]
    [InlineData("dev", "/alarms/prod/page/5xx-rate")]
    [InlineData("oncall", "/alarms/dev/page/no-such-alarm")]
    public async Task AlarmPage_UnknownOrNotVisible_LooksTheSame(string user, string url)
    {
        using var client = await app.Factory.SignInAsync(user);

        var doc = await app.PageAsync(client, url);

        doc.QuerySelector("[data-testid='alarm-not-found']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='alarm-header']").ShouldBeNull();
    }
}
