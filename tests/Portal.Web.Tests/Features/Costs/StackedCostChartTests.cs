using System.Globalization;
using Portal.Core.Costs;
using Portal.Web.Features.Costs;
using Portal.Web.Tests.Components;

namespace Portal.Web.Tests.Features.Costs;

/// <summary>The stacked daily chart as rendered: parts stacked to scale, a gap day hatched (never a zero bar), titles listing the parts.</summary>
public sealed class StackedCostChartTests
{
    private static readonly DateOnly Day1 = new(2026, 11, 1);

    private static DailyCost Day(int offset, decimal? total, params (string Key, decimal Value)[] parts) => new(
        Day1.AddDays(offset), total, total is null ? 0 : 24, parts.ToDictionary(p => p.Key, p => p.Value),
        new Dictionary<CostResource, decimal> { [CostResource.Cpu] = total ?? 0 });

    private static Task<AngleSharp.Dom.IDocument> RenderAsync(IReadOnlyList<DailyCost> days, Func<DateOnly, string?>? link = null) =>
        new ComponentTestContext().RenderAsync<StackedCostChart>(new()
        {
            [nameof(StackedCostChart.Days)] = days,
            [nameof(StackedCostChart.Currency)] = "USD",
            [nameof(StackedCostChart.Stack)] = CostStack.Service,
            [nameof(StackedCostChart.DayLink)] = link,
        });

    private static double Number(string? text) => double.Parse(text!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Render_GapDay_IsAHatchedNoSamplesColumn_NotAZeroBar()
    {
        var doc = await RenderAsync([Day(0, 4m, ("cart", 3m), ("api", 1m)), Day(1, null), Day(2, 0m)]);

        var gap = doc.QuerySelectorAll("[data-testid='cost-chart-gap']").ShouldHaveSingleItem();
        gap.GetAttribute("data-day").ShouldBe("2026-11-02");
        gap.QuerySelector("title")!.TextContent.ShouldContain("no samples");
        var hatch = gap.QuerySelector("rect")!;
        Number(hatch.GetAttribute("height")).ShouldBe(100, "the whole height, so the gap reads as missing, not low");
        hatch.GetAttribute("fill").ShouldStartWith("url(#cost-hatch-");
        doc.QuerySelectorAll("[data-testid='cost-chart-column']").Select(c => c.GetAttribute("data-day")).ShouldBe(["2026-11-01", "2026-11-03"]);
        doc.QuerySelector("[data-testid='cost-chart-column'][data-day='2026-11-03'] .cost-chart-part").ShouldBeNull("a sampled day that cost nothing has no bar");
        doc.QuerySelector("[data-testid='cost-chart-legend']")!.TextContent.ShouldContain("no samples");
    }

    [Fact]
    public async Task Render_Parts_StackToScale_BiggestSeriesFirst_TitleListsThem_AndLinkToTheDay()
    {
        var doc = await RenderAsync([Day(0, 4m, ("cart", 3m), ("api", 1m)), Day(1, 1.5m, ("api", 1.5m))], d => $"costs/explain?day={d:yyyy-MM-dd}");

        var first = doc.QuerySelector("[data-testid='cost-chart-column'][data-day='2026-11-01']")!;
        first.LocalName.ShouldBe("a");
        first.GetAttribute("href").ShouldBe("costs/explain?day=2026-11-01");
        var parts = first.QuerySelectorAll(".cost-chart-part").Select(p => (p.GetAttribute("data-key"), Number(p.GetAttribute("y")), Number(p.GetAttribute("height")))).ToList();
        parts.ShouldBe([("cart", 25.0, 75.0), ("api", 0.0, 25.0)]);
        first.QuerySelector("title")!.TextContent.ShouldBe("2026-11-01: 4.00 USD — cart 3.00 USD; api 1.00 USD");
        doc.QuerySelectorAll("[data-testid='cost-chart-series']").Select(s => s.GetAttribute("data-key")).ShouldBe(["cart", "api"], "cart cost 3 over the range, api 2.5: the bigger first");
        doc.QuerySelector("[data-testid='cost-chart-max']")!.TextContent.ShouldBe("4.00 USD");
    }

    [Fact]
    public void Series_MoreThanEight_TheSmallestAreSummedAsOther()
    {
        var parts = Enumerable.Range(1, 10).Select(i => ($"s{i:00}", (decimal)i)).ToArray();
        var days = new[] { Day(0, parts.Sum(p => p.Item2), parts) };

        var series = CostChartGeometry.Series(days, CostStack.Service);
        var column = CostChartGeometry.Columns(days, series, CostStack.Service).Single();

        series.Count.ShouldBe(CostChartGeometry.MaxSeries);
        series[0].Key.ShouldBe("s10");
        series[^1].ShouldBe(new CostSeries(CostChartGeometry.OtherKey, "3 more", -1));
        column.Segments.Single(s => s.Series.Key == CostChartGeometry.OtherKey).Value.ShouldBe(1m + 2m + 3m);
        column.Segments.Sum(s => s.SegmentHeight).ShouldBe(100, tolerance: 1e-9);
    }
}
