using Portal.Core.Alarms;
using Portal.Web.Features.Alarms;
using Portal.Web.Tests.Components;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>The board's rows as rendered: grouped by state with the snoozed last, each row saying who has the alarm.</summary>
public sealed class AlarmBoardTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static AlarmView View(string name, AlarmState state, TimeSpan inState, AlarmTriage? triage = null, string? environment = "dev") =>
        new(TestAlarms.Metric(name, state, Now - inState), new AlarmPlacement(environment, environment is null ? null : "cart", AlarmSeverity.High),
            triage ?? AlarmTriage.None(name), Now);

    private static Task<AngleSharp.Dom.IDocument> RenderAsync(IReadOnlyList<AlarmView> alarms) =>
        new ComponentTestContext().RenderAsync<AlarmBoardTable>(new() { [nameof(AlarmBoardTable.Alarms)] = alarms, [nameof(AlarmBoardTable.EmptyText)] = "Nothing." });

    [Fact]
    public async Task Render_GroupsByStateThenSnoozed_KeepingTheBoardsOrderWithin()
    {
        var snoozedFiring = View("dev/cart/b-snoozed", AlarmState.Alarm, TimeSpan.FromMinutes(5), AlarmTriage.None("dev/cart/b-snoozed") with { SnoozedUntil = Now.AddHours(1), SnoozedBy = "olly" });
        AlarmView[] board =
        [
            View("dev/cart/z-firing", AlarmState.Alarm, TimeSpan.FromMinutes(2)),
            View("dev/cart/a-firing", AlarmState.Alarm, TimeSpan.FromMinutes(3)),
            View("dev/cart/no-data", AlarmState.InsufficientData, TimeSpan.FromMinutes(4)),
            View("dev/cart/fine", AlarmState.Ok, TimeSpan.FromHours(30)),
            snoozedFiring,
        ];

        var doc = await RenderAsync(board);

        doc.QuerySelectorAll("[data-testid='alarm-group']").Select(g => g.GetAttribute("data-group")).ShouldBe(["alarm", "insufficient-data", "ok", "snoozed"]);
        doc.QuerySelectorAll("[data-testid='alarm-row']").Select(r => r.GetAttribute("data-alarm"))
            .ShouldBe(["dev/cart/z-firing", "dev/cart/a-firing", "dev/cart/no-data", "dev/cart/fine", "dev/cart/b-snoozed"]);
        var snoozedRow = doc.QuerySelector("[data-alarm='dev/cart/b-snoozed']")!;
        snoozedRow.GetAttribute("data-state").ShouldBe("ALARM");
        snoozedRow.GetAttribute("data-snoozed").ShouldBe("true");
        snoozedRow.QuerySelector("[data-testid='alarm-ownership']")!.TextContent.ShouldContain("snoozed until 2026-11-22 11:00:00 UTC by olly");
        doc.QuerySelector("[data-alarm='dev/cart/fine'] [data-testid='alarm-time-in-state']")!.TextContent.ShouldBe("1 d 6 h");
    }

    [Fact]
    public async Task Render_Row_LinksTheAlarmItsEnvironmentAndServiceAndSaysItsConditionInWords()
    {
        var acknowledged = AlarmTriage.None("dev/cart/5xx rate") with { AcknowledgedBy = "olly", AcknowledgedAt = Now, AcknowledgedEpisode = Now.AddMinutes(-12), Assignee = "vic" };

        var doc = await RenderAsync([View("dev/cart/5xx rate", AlarmState.Alarm, TimeSpan.FromMinutes(12), acknowledged)]);

        var row = doc.QuerySelector("[data-testid='alarm-row']")!;
        row.GetAttribute("data-acknowledged").ShouldBe("true");
        row.QuerySelector("[data-testid='alarm-link']")!.GetAttribute("href").ShouldBe("alarms/dev/cart/5xx%20rate");
        row.QuerySelector("[data-testid='alarm-state']")!.TextContent.ShouldBe("ALARM");
        row.QuerySelector("[data-testid='alarm-severity']")!.GetAttribute("data-severity").ShouldBe("high");
        row.QuerySelector("[data-testid='alarm-environment'] a")!.GetAttribute("href").ShouldBe("environments/dev");
        row.QuerySelector("[data-testid='alarm-service'] a")!.GetAttribute("href").ShouldBe("environments/dev/workloads?service=cart");
        row.QuerySelector("[data-testid='alarm-condition']")!.TextContent.ShouldBe("HTTP5xxRate above 5 for 2 of 3 periods of 1 minute");
        row.QuerySelector("[data-testid='alarm-time-in-state']")!.TextContent.ShouldBe("12 min");
        row.QuerySelector("[data-testid='alarm-ownership']")!.TextContent.Trim().ShouldBe("acknowledged by olly · assigned to vic");
    }

    [Fact]
    public async Task Render_AcknowledgedInAnEarlierEpisode_IsNotAcknowledgedNow()
    {
        var stale = AlarmTriage.None("dev/cart/5xx") with { AcknowledgedBy = "olly", AcknowledgedAt = Now.AddHours(-3), AcknowledgedEpisode = Now.AddHours(-4) };

        var doc = await RenderAsync([View("dev/cart/5xx", AlarmState.Alarm, TimeSpan.FromMinutes(1), stale, environment: null)]);

        var row = doc.QuerySelector("[data-testid='alarm-row']")!;
        row.GetAttribute("data-acknowledged").ShouldBe("false");
        row.QuerySelector("[data-testid='alarm-ownership']")!.TextContent.Trim().ShouldBeEmpty();
        row.QuerySelector("[data-testid='alarm-environment']")!.TextContent.Trim().ShouldBe("none");
    }

    [Fact]
    public async Task Render_NoAlarms_SaysTheEmptyText()
    {
        var doc = await RenderAsync([]);

        doc.QuerySelector("[data-testid='alarm-board-empty']")!.TextContent.ShouldBe("Nothing.");
        doc.QuerySelector("[data-testid='alarm-group']").ShouldBeNull();
    }
}
