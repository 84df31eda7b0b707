using System.Globalization;
using Portal.Core.Logs;
using Portal.Web.Features.Logs;
using Portal.Web.Tests.Components;

namespace Portal.Web.Tests.Features.Logs;

/// <summary>The histogram's SVG as rendered: bars scaled to the busiest bucket, markers where their instant falls.</summary>
public sealed class LogHistogramChartTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddMinutes(4);

    private static Task<AngleSharp.Dom.IDocument> RenderAsync(IReadOnlyList<LogHistogramBucket> buckets, IReadOnlyList<LogMarker> markers) =>
        new ComponentTestContext().RenderAsync<LogHistogramChart>(new()
        {
            [nameof(LogHistogramChart.Buckets)] = buckets,
            [nameof(LogHistogramChart.Interval)] = TimeSpan.FromMinutes(1),
            [nameof(LogHistogramChart.From)] = From,
            [nameof(LogHistogramChart.To)] = To,
            [nameof(LogHistogramChart.Markers)] = markers,
        });

    [Fact]
    public async Task Render_Buckets_BarHeightsScaleToTheBusiestAndTitlesNameCountAndStart()
    {
        LogHistogramBucket[] buckets = [new(From, 10), new(From.AddMinutes(1), 40), new(From.AddMinutes(2), 0), new(From.AddMinutes(3), 20)];

        var doc = await RenderAsync(buckets, []);

        var bars = doc.QuerySelectorAll("[data-testid='histogram-bar']");
        bars.Length.ShouldBe(4);
        var heights = bars.Select(b => double.Parse(b.QuerySelector(".log-histogram-bar")!.GetAttribute("height")!, CultureInfo.InvariantCulture)).ToList();
        heights.ShouldBe([25, 100, 0, 50]);
        var xs = bars.Select(b => double.Parse(b.QuerySelector(".log-histogram-hit")!.GetAttribute("x")!, CultureInfo.InvariantCulture)).ToList();
        xs.ShouldBe([0, 250, 500, 750]);
        bars[1].QuerySelector("title")!.TextContent.ShouldBe("40 hits from 2026-11-22 10:01:00.000 to 2026-11-22 10:02:00.000");
        bars[1].GetAttribute("data-start").ShouldBe("2026-11-22T10:01:00.000Z");
        doc.QuerySelector("[data-testid='histogram-max']")!.TextContent.ShouldBe("40");
        doc.QuerySelector("[data-testid='histogram-empty']").ShouldBeNull();
    }

    [Fact]
    public async Task Render_Markers_DrawnAtTheirInstantWithTooltipAndReleaseLink()
    {
        LogMarker[] markers =
        [
            new(From.AddMinutes(1), LogMarkersService.Deploy, "Deploy started: api #3 (1.2.3) in dev", "deployments/dev/7f1b0c4e-0000-0000-0000-000000000001"),
            new(From.AddSeconds(210), LogMarkersService.Restart, "Restart: api-1/api (Error, exit code 1)", null),
        ];

        var doc = await RenderAsync([new(From, 1)], markers);

        var drawn = doc.QuerySelectorAll("[data-testid='histogram-marker']");
        drawn.Length.ShouldBe(2);
        drawn[0].GetAttribute("data-kind").ShouldBe("deploy");
        drawn[0].QuerySelector(".log-marker-line")!.GetAttribute("x1").ShouldBe("250");
        drawn[0].QuerySelector("a")!.GetAttribute("href").ShouldBe("deployments/dev/7f1b0c4e-0000-0000-0000-000000000001");
        drawn[0].QuerySelector("title")!.TextContent.ShouldBe("2026-11-22 10:01:00.000: Deploy started: api #3 (1.2.3) in dev");
        drawn[1].QuerySelector(".log-marker-line")!.GetAttribute("x1").ShouldBe("875");
        drawn[1].QuerySelector("a").ShouldBeNull();
        doc.QuerySelector("[data-testid='histogram-markers'] summary")!.TextContent.ShouldBe("1 deploy event, 1 restart in this range");
    }

    [Fact]
    public async Task Render_NoHits_SaysSoAndAxisIsLabelled()
    {
        var doc = await RenderAsync([new(From, 0), new(From.AddMinutes(1), 0)], []);

        doc.QuerySelector("[data-testid='histogram-empty']").ShouldNotBeNull();
        doc.QuerySelectorAll("[data-testid='histogram-tick']").Select(t => t.TextContent).ShouldBe(["10:00", "10:01", "10:02", "10:03", "10:04"]);
        doc.QuerySelector("[data-testid='histogram-interval']")!.TextContent.ShouldContain("per minute");
    }
}
