using Portal.Core.Costs;
using Portal.Core.Environments;
using Portal.Web.Features.Status;
using Portal.Web.Tests.Components;

namespace Portal.Web.Tests.Features.Costs;

/// <summary>
/// The status overview's rows as rendered: each health in words and colour, over budget and forecast over said in
/// words, time left for ephemeral environments, and the idle flag with its reason.
/// </summary>
public sealed class StatusTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static PortalEnvironment Env(string name, EnvironmentTier tier = EnvironmentTier.Dev, DateTimeOffset? expiresAt = null) => new()
    {
        Name = name,
        DisplayName = name,
        Tier = tier,
        Cluster = "sandbox",
        Namespace = name,
        OwningTeam = "payments",
        CostCentre = "cc-1",
        MonthlyBudget = 100,
        ExpiresAt = expiresAt,
        CreatedBy = "test",
        CreatedAt = Now.AddDays(-30),
        Status = EnvironmentStatus.Ready,
    };

    private static MonthCost Month(decimal toDate, decimal? forecast, decimal budget = 100) => new("2026-11", toDate, forecast, budget, null, null);

    private static EnvironmentStatusRow Row(PortalEnvironment env, int? ready, int? desired, int? alarms = 0, MonthCost? month = null, IdleVerdict? idle = null,
        params string[] problems) =>
        new(env, ready, desired, alarms, new LastDeploy("cart", "1.4.2", "dev", Now.AddHours(-5), "Succeeded"), month ?? Month(10, 30),
            env.TimeLeft(Now), idle ?? new IdleVerdict(false, Now.AddHours(-5), 0.2, 0.4, "deployed 0 days ago"), problems);

    private static Task<AngleSharp.Dom.IDocument> RenderAsync(params EnvironmentStatusRow[] rows) =>
        new ComponentTestContext().RenderAsync<StatusTable>(new()
        {
            [nameof(StatusTable.Rows)] = rows,
            [nameof(StatusTable.Now)] = Now,
            [nameof(StatusTable.Currency)] = "USD",
        });

    [Fact]
    public async Task Render_EachHealth_InWordsAndItsColour_WithPodsAndAlarms()
    {
        var doc = await RenderAsync(
            Row(Env("healthy"), 3, 3),
            Row(Env("degraded"), 3, 3, alarms: 2),
            Row(Env("down"), 0, 2),
            Row(Env("unknown"), null, null, alarms: null, problems: "The cluster 'sandbox' did not answer."));

        string Health(string env, string part) => doc.QuerySelector($"[data-testid='status-row'][data-environment='{env}'] {part}")!.TextContent.Trim();
        doc.QuerySelectorAll("[data-testid='status-row']").Select(r => r.GetAttribute("data-health")).ShouldBe(["Healthy", "Degraded", "Down", "Unknown"]);
        Health("healthy", "[data-testid='status-health-badge']").ShouldBe("Healthy");
        Health("degraded", "[data-testid='status-pods']").ShouldBe("3/3 pods ready, 2 in ALARM");
        Health("down", "[data-testid='status-pods']").ShouldBe("0/2 pods ready");
        Health("unknown", "[data-testid='status-pods']").ShouldBe("pods unknown");
        Health("unknown", "[data-testid='status-problems']").ShouldContain("did not answer");
        var classes = new[] { "healthy", "degraded", "down", "unknown" }
            .Select(e => doc.QuerySelector($"[data-testid='status-row'][data-environment='{e}'] [data-testid='status-health-badge']")!.ClassName ?? "").ToList();
        classes[0].ShouldContain("success");
        classes[1].ShouldContain("warning");
        classes[2].ShouldContain("danger");
        classes.Distinct().Count().ShouldBe(4, "each health its own colour");
    }

    [Fact]
    public async Task Render_OverBudgetAndForecastOver_AreSaidInWords_AndLastDeployShown()
    {
        var doc = await RenderAsync(
            Row(Env("over"), 1, 1, month: Month(120, 180)),
            Row(Env("heading-over"), 1, 1, month: Month(60, 130)),
            Row(Env("within"), 1, 1, month: Month(10, 30)),
            Row(Env("no-budget"), 1, 1, month: Month(10, 30, budget: 0)));

        string Cell(string env, string cell) => doc.QuerySelector($"[data-testid='status-row'][data-environment='{env}'] [data-testid='{cell}']")!.TextContent.Trim();
        doc.QuerySelectorAll("[data-testid='status-row']").Select(r => r.GetAttribute("data-budget-state")).ShouldBe(["over", "forecast-over", "within", "none"]);
        Cell("over", "status-budget-state").ShouldBe("over budget");
        Cell("heading-over", "status-budget-state").ShouldBe("forecast over budget");
        doc.QuerySelector("[data-environment='within'] [data-testid='status-budget-state']").ShouldBeNull();
        Cell("over", "status-month-to-date").ShouldBe("120.00 USD");
        Cell("heading-over", "status-forecast").ShouldBe("130.00 USD");
        Cell("within", "status-budget").ShouldContain("100.00 USD (10 % used)");
        Cell("no-budget", "status-budget").ShouldBe("none set");
        doc.QuerySelector("[data-environment='over'] [data-testid='status-month-to-date']")!.ClassList.ShouldContain("cost-over");
        doc.QuerySelector("[data-environment='heading-over'] [data-testid='status-month-to-date']")!.ClassList.ShouldNotContain("cost-over");
        Cell("within", "status-last-deploy").ShouldContain("cart 1.4.2");
        Cell("within", "status-last-deploy").ShouldContain("by dev, 5 h ago");
    }

    [Fact]
    public async Task Render_LastDeploy_SaysItsStateUnlessItSucceeded()
    {
        var failed = Row(Env("failed"), 1, 1) with { LastDeploy = new LastDeploy("cart", "1.5.0", "ann", Now.AddMinutes(-30), nameof(Portal.Core.Deployments.ReleaseState.Failed)) };
        var doc = await RenderAsync(Row(Env("ok"), 1, 1), failed);

        string Cell(string env) => doc.QuerySelector($"[data-testid='status-row'][data-environment='{env}'] [data-testid='status-last-deploy']")!.TextContent;
        Cell("failed").ShouldContain("(Failed)");
        Cell("ok").ShouldNotContain("(");
    }

    [Fact]
    public async Task Render_TimeLeft_AndIdleWithItsReason_AndCostsHiddenWithoutCostsRead()
    {
        var idle = new IdleVerdict(true, Now.AddDays(-12), 12, 0.01, "no deploy for 12 days; CPU use 1 % of requests");
        var hidden = Row(Env("no-costs"), 1, 1) with { Month = null, Idle = null };

        var doc = await RenderAsync(
            Row(Env("ephemeral", expiresAt: Now.AddHours(20)), 1, 1, idle: idle),
            Row(Env("long-lived", EnvironmentTier.Prod), 1, 1),
            hidden);

        string Cell(string env, string cell) => doc.QuerySelector($"[data-testid='status-row'][data-environment='{env}'] [data-testid='{cell}']")!.TextContent.Trim();
        Cell("ephemeral", "status-ttl").ShouldBe("20 h");
        Cell("long-lived", "status-ttl").ShouldBe("long-lived");
        var flag = doc.QuerySelector("[data-environment='ephemeral'] [data-testid='status-idle-flag']")!;
        flag.TextContent.ShouldBe("idle");
        flag.GetAttribute("title").ShouldBe(idle.Reason);
        doc.QuerySelector("[data-environment='long-lived'] [data-testid='status-idle-flag']").ShouldBeNull();
        Cell("no-costs", "status-month-to-date").ShouldBe("—");
        Cell("no-costs", "status-idle").ShouldBe("unknown");
    }

    [Fact]
    public async Task Render_NoRows_SaysSo()
    {
        var doc = await RenderAsync();

        doc.QuerySelector("[data-testid='status-empty']")!.TextContent.ShouldBe("No environment you may see.");
        doc.QuerySelector("[data-testid='status-table']").ShouldBeNull();
    }
}
