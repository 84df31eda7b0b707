using Portal.Core.Alarms;
using Portal.Web.Features.Alarms;
using Portal.Web.Tests.Components;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>The CloudTrail table as rendered, and an event's record shown indented.</summary>
public sealed class TrailEventsTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Render_Rows_NameEventUserResourcesAndReadOnly_Closed()
    {
        TrailEvent[] events =
        [
            new("e-2", Now, "PutMetricAlarm", "monitoring.amazonaws.com", "olly", false, [new("AWS::CloudWatch::Alarm", "dev/cart/5xx"), new(null, "cart")], "sandbox", "{\"a\":1}"),
            new("e-1", Now.AddMinutes(-1), "DescribeAlarms", "monitoring.amazonaws.com", null, true, [], "sandbox", null),
        ];

        var doc = await new ComponentTestContext().RenderAsync<TrailEventsTable>(new() { [nameof(TrailEventsTable.Events)] = events });

        var rows = doc.QuerySelectorAll("[data-testid='trail-row']");
        rows.Select(r => r.GetAttribute("data-event-id")).ShouldBe(["e-2", "e-1"]);
        rows[0].QuerySelector("[data-testid='trail-resources']")!.TextContent.ShouldBe("dev/cart/5xx (AWS::CloudWatch::Alarm), cart");
        rows[0].GetAttribute("data-read-only").ShouldBe("false");
        rows[1].QuerySelector("[data-testid='trail-user']")!.TextContent.ShouldBe("—");
        rows[0].QuerySelector("[data-testid='trail-toggle']")!.GetAttribute("aria-expanded").ShouldBe("false");
        doc.QuerySelector("[data-testid='trail-detail']").ShouldBeNull();
    }

    [Fact]
    public void Pretty_IndentsJson_AndLeavesOtherTextAsItIs()
    {
        TrailEventsTable.Pretty("{\"eventName\":\"PutMetricAlarm\",\"n\":[1]}").ShouldBe("{\n  \"eventName\": \"PutMetricAlarm\",\n  \"n\": [\n    1\n  ]\n}");
        TrailEventsTable.Pretty("not json").ShouldBe("not json");
        TrailEventsTable.Pretty(null).ShouldBe("(CloudTrail gave no record for this event)");
    }
}
