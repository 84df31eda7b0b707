using Portal.Core.Actions;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Core.Costs;
using Portal.Core.Environments;
using Portal.Core.Validation;
using static Portal.Web.Tests.Features.Costs.Core.CostsCoreApp;

namespace Portal.Web.Tests.Features.Costs.Core;

/// <summary>
/// Who sees which costs, over the real store: a Viewer of one environment sees that environment only (and nothing
/// outside Portal's environments), a Manager sees every one; team budgets are set by Managers only, validated and
/// audited. One slot of hand-made records at 08:00 on cluster pc-c (idle not shared):
/// pc-dev: pod web 1.00 CPU + 0.50 memory, volume 0.20; pc-prod: pod api 2.00 + 1.00; kube-system: pod 0.25 + 0.25;
/// the node 6.00, so idle = 6.00 − (1.50 + 3.00 + 0.50) = 1.00.
/// </summary>
public sealed class CostServiceTests(CostServiceTests.App app) : IClassFixture<CostServiceTests.App>
{
    private const string Cluster = "pc-c";
    private static readonly DateTimeOffset Hour = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 11, 22);
    private static readonly PortalPrincipal Carol = Person("carol");

    public sealed class App : SeededCostsApp
    {
        protected override async Task SeedAsync(CostsCoreApp costs)
        {
            await costs.AddEnvironmentAsync("pc-dev", EnvironmentTier.Dev, Cluster, team: "alpha", budget: 40);
            await costs.AddEnvironmentAsync("pc-prod", EnvironmentTier.Prod, Cluster, team: "beta", budget: 900);
            await costs.BindAsync("carol", Roles.Viewer, "pc-dev");
            (await costs.RecordAsync(Cluster, Hour,
                Pod(Cluster, Hour, "pc-dev", "web-1", "web", 1.00m, 0.50m),
                Other(Cluster, Hour, CostSubject.Volume, "pc-dev", "data", 0.20m),
                Pod(Cluster, Hour, "pc-prod", "api-1", "api", 2.00m, 1.00m),
                Pod(Cluster, Hour, "kube-system", "coredns-1", null, 0.25m, 0.25m),
                Other(Cluster, Hour, CostSubject.Node, "", "node-1", 6.00m))).ShouldBeTrue();
        }
    }

    private CostService Service => app.Costs.Get<CostService>();

    [Fact]
    public async Task EnvironmentAsync_ViewerOfDev_SeesDevByService_AndProdIsNotFound()
    {
        var dev = await Service.EnvironmentAsync(Carol, "pc-dev", Today, Today, CancellationToken.None);
        var prod = await Service.EnvironmentAsync(Carol, "pc-prod", Today, Today, CancellationToken.None);
        var missing = await Service.EnvironmentAsync(Carol, "pc-nowhere", Today, Today, CancellationToken.None);

        dev.ShouldNotBeNull();
        dev.Total.ShouldBe(1.70m, "web 1.50 + the volume 0.20");
        dev.Services.Select(s => (s.Key, s.Total)).ShouldBe([("web", 1.50m), (CostService.NoService, 0.20m)]);
        dev.Services[0].Of(CostResource.Cpu).ShouldBe(1.00m);
        dev.Usage.ShouldBe(UsageSource.MetricsApi);
        dev.Days.Single().Total.ShouldBe(1.70m);
        dev.Month.MonthToDate.ShouldBe(1.70m);
        dev.Month.Budget.ShouldBe(40m);
        prod.ShouldBeNull("carol may not read prod's costs, and learns no more than if it did not exist");
        missing.ShouldBeNull();
    }

    [Fact]
    public async Task SummaryAsync_ViewerOfDev_SeesOnlyDev_AndNoUnattributedLine()
    {
        var summary = await Service.SummaryAsync(Carol, CostGrouping.Environment, Today.AddDays(-1), Today, null, CancellationToken.None);

        summary.Rows.Select(r => (r.Key, r.Total)).ShouldBe([("pc-dev", 1.70m)]);
        summary.Unattributed.ShouldBeNull("kube-system and idle are the organisation's, not carol's");
        summary.Total.ShouldBe(1.70m);
        summary.Days.Select(d => d.Total).ShouldBe([null, 1.70m], "the 21st has no sample: a gap, not zero");
        summary.Months.Keys.ShouldBe(["pc-dev"]);
        summary.Months["pc-dev"].Budget.ShouldBe(40m);
    }

    [Fact]
    public async Task SummaryAsync_Manager_SeesEveryEnvironment_ServiceAndTeamRows_AndWhatIsOutsidePortal()
    {
        var byEnvironment = await Service.SummaryAsync(Manager, CostGrouping.Environment, Today, Today, null, CancellationToken.None);
        var byService = await Service.SummaryAsync(Manager, CostGrouping.Service, Today, Today, null, CancellationToken.None);
        var byTeam = await Service.SummaryAsync(Manager, CostGrouping.Team, Today, Today, null, CancellationToken.None);
        var alpha = await Service.SummaryAsync(Manager, CostGrouping.Environment, Today, Today, "alpha", CancellationToken.None);

        byEnvironment.Rows.Select(r => (r.Key, r.Total)).ShouldBe([("pc-prod", 3.00m), ("pc-dev", 1.70m)]);
        byEnvironment.Unattributed.ShouldNotBeNull();
        byEnvironment.Unattributed.Total.ShouldBe(1.50m, "kube-system 0.50 + idle 1.00");
        byEnvironment.Unattributed.Of(CostResource.Idle).ShouldBe(1.00m);
        byEnvironment.Total.ShouldBe(6.20m, "3.00 + 1.70 + 1.50: every record but the node, plus idle");
        byEnvironment.Months["pc-prod"].Budget.ShouldBe(900m);
        byEnvironment.Months.Keys.ShouldContain("dev", "environments without cost yet still have a month against their budget");
        byService.Rows.Select(r => (r.Key, r.Total)).ShouldBe([("pc-prod/api", 3.00m), ("pc-dev/web", 1.50m), ($"pc-dev/{CostService.NoService}", 0.20m)]);
        byTeam.Rows.Select(r => (r.Key, r.Total)).ShouldBe([("beta", 3.00m), ("alpha", 1.70m)]);
        alpha.Rows.Select(r => r.Key).ShouldBe(["pc-dev"]);
        alpha.Unattributed.ShouldBeNull("a team's view holds only the team's environments");
    }

    [Fact]
    public async Task ExplainAsync_ListsTheRecordsBehindAFigure_NarrowedByServiceAndResource_WithinTheViewersReach()
    {
        var all = await Service.ExplainAsync(Carol, "pc-dev", Hour, Hour.AddHours(1), null, null, CancellationToken.None);
        var cpu = await Service.ExplainAsync(Carol, "pc-dev", Hour, Hour.AddHours(1), "web", CostResource.Cpu, CancellationToken.None);
        var storage = await Service.ExplainAsync(Carol, "pc-dev", Hour, Hour.AddHours(1), CostService.NoService, null, CancellationToken.None);
        var hidden = await Service.ExplainAsync(Carol, "pc-prod", Hour, Hour.AddHours(1), null, null, CancellationToken.None);

        all.ShouldNotBeNull();
        all.Records.Select(r => r.Name).ShouldBe(["web-1", "data"], ignoreOrder: true);
        all.Total.ShouldBe(1.70m);
        all.IdleShares.ShouldBeEmpty("idle is not shared");
        cpu.ShouldNotBeNull();
        cpu.Records.Select(r => r.Name).ShouldBe(["web-1"]);
        cpu.Total.ShouldBe(1.00m, "the CPU part only");
        storage!.Records.Select(r => r.Name).ShouldBe(["data"]);
        hidden.ShouldBeNull();
        var tooLong = await Should.ThrowAsync<ValidationFailedException>(() =>
            Service.ExplainAsync(Manager, "pc-dev", Hour.AddDays(-32), Hour, null, null, CancellationToken.None));
        tooLong.Errors.ToDictionary()["to"][0].ShouldContain("31 days");
    }

    [Fact]
    public async Task SetTeamBudgetAsync_DeveloperIsDenied_ManagerSetsReplacesAndRemoves_EachAudited()
    {
        var denied = await Service.SetTeamBudgetAsync(Acting(Dev), "alpha", 100m, null, CancellationToken.None);
        var set = await Service.SetTeamBudgetAsync(Acting(Manager), "alpha", 100m, 0, CancellationToken.None);
        var stale = await Service.SetTeamBudgetAsync(Acting(Manager), "alpha", 120m, 0, CancellationToken.None);
        var replaced = await Service.SetTeamBudgetAsync(Acting(Manager), "alpha", 120m, 1, CancellationToken.None);
        await Service.SetTeamBudgetAsync(Acting(Manager), "beta", 300m, null, CancellationToken.None);

        denied.ShouldBeOfType<ActionResult<TeamBudget>.Denied>().Decision.Permission.ShouldBe(Permissions.CostsManage);
        set.ShouldBeOfType<ActionResult<TeamBudget>.Ok>().Value.Version.ShouldBe(1);
        stale.ShouldBeOfType<ActionResult<TeamBudget>.Conflict>();
        replaced.ShouldBeOfType<ActionResult<TeamBudget>.Ok>().Value.MonthlyBudget.ShouldBe(120m);
        (await Service.TeamBudgetsAsync(Manager, CancellationToken.None)).Where(b => b.Team is "alpha" or "beta").Select(b => (b.Team, b.MonthlyBudget, b.Version, b.UpdatedBy))
            .ShouldBe([("alpha", 120m, 2, "manager"), ("beta", 300m, 1, "manager")]);
        (await Service.TeamBudgetsAsync(Carol, CancellationToken.None)).Select(b => b.Team).ShouldBe(["alpha"], "carol reads only pc-dev, alpha's");

        var removed = await Service.SetTeamBudgetAsync(Acting(Manager), "beta", 0m, null, CancellationToken.None);
        removed.Succeeded.ShouldBeTrue();
        (await Service.TeamBudgetsAsync(Manager, CancellationToken.None)).Select(b => b.Team).ShouldNotContain("beta");

        var audit = (await app.Costs.AuditAsync("costs.team-budget")).Where(r => r.Target is "alpha" or "beta").ToList();
        audit.Count(r => r.Outcome == AuditOutcome.Denied && r.Actor == "dev").ShouldBe(1);
        audit.Count(r => r.Outcome == AuditOutcome.Succeeded && r.Actor == "manager").ShouldBe(4);
        audit.Count(r => r.Outcome == AuditOutcome.Failed).ShouldBe(1, "the stale edit");
    }

    [Theory]
    [InlineData("Alpha", 10, "team")]
    [InlineData("a_b", 10, "team")]
    [InlineData("", 10, "team")]
    [InlineData("gamma", -1, "monthlyBudget")]
    public async Task SetTeamBudgetAsync_BadInput_IsInvalidNamingTheField(string team, int budget, string field)
    {
        var result = await Service.SetTeamBudgetAsync(Acting(Manager), team, budget, null, CancellationToken.None);

        result.ShouldBeOfType<ActionResult<TeamBudget>.Invalid>().Errors.ToDictionary().Keys.ShouldBe([field]);
    }

    [Fact]
    public async Task SetTeamBudgetAsync_TeamNameOf63Characters_IsAccepted_And64IsNot()
    {
        (await Service.SetTeamBudgetAsync(Acting(CostsCoreApp.Admin), new string('t', 63), 5m, null, CancellationToken.None)).Succeeded.ShouldBeTrue();
        (await Service.SetTeamBudgetAsync(Acting(CostsCoreApp.Admin), new string('t', 64), 5m, null, CancellationToken.None)).ShouldBeOfType<ActionResult<TeamBudget>.Invalid>();
    }
}
