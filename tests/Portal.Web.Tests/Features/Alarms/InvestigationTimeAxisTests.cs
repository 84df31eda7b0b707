using System.Globalization;
using Portal.Web.Features.Alarms;
using Portal.Web.Tests.Components;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>The investigation's time axis and list as rendered: a lane per kind, marks where their time falls, links kept.</summary>
public sealed class InvestigationTimeAxisTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddMinutes(20);

    private static readonly TimelineEntry[] Entries =
    [
        new(From.AddMinutes(2), TimelineKind.Release, "Deploy #4 of cart: 1.4.0-crash (Succeeded)", "by dev", "deployments/dev/7f1b", false),
        new(From.AddMinutes(5), TimelineKind.PodEvent, "BackOff: cart-7d9-x1", "Back-off restarting failed container", "environments/dev/pods/cart-7d9-x1", true),
        new(From.AddMinutes(10), TimelineKind.AlarmState, "Alarm updated from OK to ALARM", "dev/cart/5xx", null, true),
        new(From.AddMinutes(15), TimelineKind.ErrorLine, "panic: nil map", "cart-7d9-x1", null, true),
    ];

    [Fact]
    public async Task Render_Axis_MarksEachEntryInItsLaneAtItsTime()
    {
        var doc = await new ComponentTestContext().RenderAsync<InvestigationTimeAxis>(new()
        {
            [nameof(InvestigationTimeAxis.Entries)] = Entries,
            [nameof(InvestigationTimeAxis.From)] = From,
            [nameof(InvestigationTimeAxis.To)] = To,
        });

        var markers = doc.QuerySelectorAll("[data-testid='axis-marker']");
        markers.Select(m => m.GetAttribute("data-kind")).ShouldBe(["Release", "PodEvent", "AlarmState", "ErrorLine"]);
        markers.Select(m => m.GetAttribute("data-x")).ShouldBe(["100", "250", "500", "750"]);
        var release = markers[0].QuerySelector("line")!;
        double.Parse(release.GetAttribute("y1")!, CultureInfo.InvariantCulture).ShouldBe(TimelineLanes.Index(TimelineKind.Release) * 20 + 3);
        markers[0].QuerySelector("a")!.GetAttribute("href").ShouldBe("deployments/dev/7f1b");
        markers[1].ClassList.ShouldContain("warning");
        markers[2].QuerySelector("a").ShouldBeNull();
        doc.QuerySelectorAll(".investigation-axis-lane").Select(l => l.TextContent).ShouldBe(TimelineLanes.All.Select(l => l.Label));
    }

    [Fact]
    public async Task Render_List_SaysEachEntryInOrderWithItsLinkAndDetail()
    {
        var doc = await new ComponentTestContext().RenderAsync<InvestigationTimeline>(new() { [nameof(InvestigationTimeline.Entries)] = Entries });

        var items = doc.QuerySelectorAll("[data-testid='timeline-entry']");
        items.Select(i => i.GetAttribute("data-kind")).ShouldBe(["Release", "PodEvent", "AlarmState", "ErrorLine"]);
        items[1].GetAttribute("data-warning").ShouldBe("true");
        items[1].QuerySelector("[data-testid='timeline-entry-link']")!.GetAttribute("href").ShouldBe("environments/dev/pods/cart-7d9-x1");
        items[1].TextContent.ShouldContain("Back-off restarting failed container");
        items[3].QuerySelector("time")!.TextContent.ShouldBe("2026-11-22 10:15:00");
    }
}
