using AngleSharp.Html.Parser;
using Portal.Web.Features.Costs;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Costs;

/// <summary>The cost pages as the server first renders them, over the same exactly priced store as <see cref="CostsApiTests"/>.</summary>
public sealed class CostsPagesTests(CostsApiTests.App app) : IClassFixture<CostsApiTests.App>
{
    private async Task<AngleSharp.Dom.IDocument> PageAsync(string user, string url)
    {
        using var client = await app.Factory.SignInAsync(user);
        return new HtmlParser().ParseDocument(await client.GetStringAsync(new Uri(url, UriKind.Relative)));
    }

    [Fact]
    public async Task Organisation_ByEnvironment_RowsAgainstBudget_ChartWithTheGap_UsageAndUnattributed()
    {
        var doc = await PageAsync("manager", "/costs?from=2026-11-09&to=2026-11-10&groupBy=environment");

        doc.QuerySelectorAll("[data-testid='cost-row']").Select(r => r.GetAttribute("data-key")).ShouldBe(["dev", "prod"]);
        doc.QuerySelector("[data-testid='cost-row'][data-key='dev'] [data-testid='cost-row-total']")!.TextContent.Trim().ShouldBe("1.25 USD");
        doc.QuerySelector("[data-testid='cost-unattributed']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='cost-chart-gap']")!.GetAttribute("data-day").ShouldBe("2026-11-09");
        doc.QuerySelector("[data-testid='usage-note']")!.TextContent.ShouldContain("metrics API");
        doc.QuerySelector("[data-testid='costs-csv']")!.GetAttribute("href").ShouldBe("api/v1/costs?groupBy=environment&from=2026-11-09&to=2026-11-10&format=csv");
        doc.QuerySelector("[data-testid='cost-row'][data-key='dev'] [data-testid='cost-explain-link']")!.GetAttribute("href")
            .ShouldBe("costs/explain?environment=dev&from=2026-11-09&to=2026-11-10");
    }

    [Fact]
    public async Task Team_AndExplain_AndBudgets_Render()
    {
        var team = await PageAsync("manager", "/costs/teams/payments?from=2026-11-10&to=2026-11-10");
        var explain = await PageAsync("dev", "/costs/explain?environment=dev&from=2026-11-10&to=2026-11-10&resource=memory");
        var budgets = await PageAsync("manager", "/costs/budgets");

        team.QuerySelector("[data-testid='costs-heading']")!.TextContent.ShouldBe("Costs of team payments");
        team.QuerySelectorAll("[data-testid='cost-row']").Select(r => r.GetAttribute("data-key")).ShouldBe(["dev"], "prod belongs to platform");
        explain.QuerySelectorAll("[data-testid='explain-record']").Length.ShouldBe(2);
        explain.QuerySelector("[data-testid='explain-total']")!.TextContent.ShouldBe("0.75 USD");
        budgets.QuerySelector("[data-testid='team-budget'][data-team='payments'] [data-testid='team-budget-editor']").ShouldNotBeNull("a Manager may set team budgets");
        budgets.QuerySelector("[data-testid='environment-budget'][data-environment='dev'] [data-testid='environment-budget-edit']")!.GetAttribute("href").ShouldBe("environments/dev?env=dev");
    }

    [Fact]
    public async Task Idle_AfterAWeekWithoutDeployOrUse_ListsThoseWithWhy_AndOffersTeardownToWhoMayDestroy()
    {
        var before = await PageAsync("admin", "/costs/idle");
        app.Clock.Advance(TimeSpan.FromDays(8));
        var after = await PageAsync("admin", "/costs/idle");
        var viewer = await PageAsync("viewer", "/costs/idle");

        before.QuerySelector("[data-testid='idle-empty']").ShouldNotBeNull("the demo environments were made just now");
        after.QuerySelectorAll("[data-testid='idle-row']").Select(r => r.GetAttribute("data-environment")).Order().ToList().ShouldBe(["dev", "prod", "staging", "test"],
            "no deploy since they were made 8 days ago, and no pod ran in the last week's samples");
        after.QuerySelector("[data-testid='idle-row'][data-environment='test'] [data-testid='idle-reason']")!.TextContent.ShouldContain("8");
        after.QuerySelector("[data-testid='teardown'][data-environment='test'] [data-testid='teardown-at']")!.GetAttribute("value")
            .ShouldBe(CostRange.Format(DateOnly.FromDateTime(app.Clock.GetUtcNow().AddDays(7).UtcDateTime)));
        viewer.QuerySelectorAll("[data-testid='idle-row']").Length.ShouldBe(4);
        viewer.QuerySelector("[data-testid='teardown']").ShouldBeNull("a Viewer may not destroy");
    }

    [Fact]
    public async Task Status_FilteredByTierInTheUrl_AndTheBudgetsPageHasNoEditorForADeveloper()
    {
        var status = await PageAsync("manager", "/status?tier=prod");
        var budgets = await PageAsync("dev", "/costs/budgets");

        status.QuerySelectorAll("[data-testid='status-row']").Select(r => r.GetAttribute("data-environment")).ShouldBe(["prod"]);
        budgets.QuerySelector("[data-testid='team-budget-editor']").ShouldBeNull();
        budgets.QuerySelector("[data-testid='team-budget'][data-team='payments']").ShouldNotBeNull();
    }
}
