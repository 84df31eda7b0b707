using Portal.Core.Alarms;
using Portal.Web.Features.Alarms;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>
/// The investigate view as the server first renders it, over the alarm's window, with the AWS ports scripted and no
/// cluster (the sandbox is off in these tests, so the pods part says why it is empty instead of failing the rest).
/// </summary>
[Collection(AlarmPagesCollection.Name)]
public sealed class InvestigatePageTests(AlarmPagesFixture app) : IAsyncLifetime
{
    private const string Name = "dev/probe/5xx-rate";
    private static readonly DateTimeOffset Fired = DateTimeOffset.UtcNow.AddMinutes(-30);

    public async Task InitializeAsync()
    {
        await app.SetAlarmsAsync(
            TestAlarms.Metric(Name, AlarmState.Alarm, Fired, "critical"),
            TestAlarms.Metric("dev/probe/cpu-high", AlarmState.Ok, Fired.AddHours(-3)),
            TestAlarms.Metric("dev/other/cpu-high", AlarmState.Ok, Fired.AddHours(-3)));
        app.Source.History.Add(new(Fired, AlarmHistoryKind.StateUpdate, "Alarm updated from OK to ALARM", AlarmState.Ok, AlarmState.Alarm));
        app.Source.Events.Add(new("ev-1", Fired.AddMinutes(-5), "UpdateService", "ecs.amazonaws.com", "dev", false, [new("AWS::ECS::Service", "probe")], "test", "{}"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Investigate_Operator_SeesTheAlarmsWindowItsTimelineLinksAndWhatCouldNotBeShown()
    {
        using var oncall = await app.Factory.SignInAsync("oncall");

        var doc = await app.PageAsync(oncall, $"/{AlarmLinks.Investigate(Name)}");

        doc.QuerySelector("[data-testid='investigation-title']")!.TextContent.ShouldBe($"Investigate {Name}");
        doc.QuerySelector("[data-testid='investigation-from']")!.GetAttribute("value").ShouldBe(Local(Fired.AddMinutes(-15)), "15 minutes (Alarms:InvestigateLead) before the alarm fired");
        doc.QuerySelectorAll("[data-testid='timeline-entry']").Select(e => e.GetAttribute("data-kind")).ShouldBe(["Trail", "AlarmState"]);
        doc.QuerySelectorAll("[data-testid='axis-marker']").Select(e => e.GetAttribute("data-kind")).ShouldBe(["Trail", "AlarmState"]);
        doc.QuerySelectorAll("[data-testid='investigation-problem']").Select(p => p.TextContent.Trim()).ShouldContain(p => p.Contains("Pods:", StringComparison.Ordinal));
        doc.QuerySelector("[data-testid='investigation-logs-link']")!.GetAttribute("href").ShouldStartWith("logs?");
        doc.QuerySelector("[data-testid='investigation-error-logs-link']")!.GetAttribute("href")!.ShouldContain("error");
        doc.QuerySelectorAll("[data-testid='related-alarm']").Select(r => r.GetAttribute("data-alarm")).ShouldBe(["dev/probe/cpu-high"]);
        doc.QuerySelector("[data-testid='investigation-pods-empty']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Investigate_WindowInTheUrl_IsTheOneShown_AndAManagerIsToldWhyTheTrailIsMissing()
    {
        var from = new DateTimeOffset(DateTimeOffset.UtcNow.Year, 1, 1, 8, 0, 0, TimeSpan.Zero);
        if (from > DateTimeOffset.UtcNow.AddHours(-2))
        {
            from = from.AddYears(-1);
        }

        using var manager = await app.Factory.SignInAsync("manager");

        var doc = await app.PageAsync(manager, $"/{AlarmLinks.Investigate(Name, from, from.AddHours(1))}");

        doc.QuerySelector("[data-testid='investigation-from']")!.GetAttribute("value").ShouldBe(Local(from));
        doc.QuerySelector("[data-testid='investigation-to']")!.GetAttribute("value").ShouldBe(Local(from.AddHours(1)));
        doc.QuerySelector("[data-testid='timeline-empty']").ShouldNotBeNull("nothing happened in that hour");
        doc.QuerySelectorAll("[data-testid='investigation-problem']").Select(p => p.TextContent.Trim()).ShouldContain(p => p.Contains("Infrastructure changes:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Investigate_NoAlarmOrUnknownAlarm_SaysSo()
    {
        using var oncall = await app.Factory.SignInAsync("oncall");

        var none = await app.PageAsync(oncall, "/investigate");
        var unknown = await app.PageAsync(oncall, "/investigate?alarm=dev%2Fprobe%2Fnope");

        none.QuerySelector("[data-testid='investigation-no-alarm']").ShouldNotBeNull();
        unknown.QuerySelector("[data-testid='alarm-not-found']").ShouldNotBeNull();
    }

    /// <summary>How a datetime-local input bound to a DateTime renders the value.</summary>
    private static string Local(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)[..16] + ":00";
}
