using Portal.Core.Approvals;
using Portal.Core.Audit;
using Portal.Core.Costs;
using Portal.Core.Environments;
using static Portal.Web.Tests.Features.Costs.Core.CostsCoreApp;

namespace Portal.Web.Tests.Features.Costs.Core;

/// <summary>
/// Budget notices over the real store: each threshold (80 and 100 %) and basis (actual, forecast) raised once per
/// month and scope, audited, and shown to those who may read the environment. Costs are hand-made records of one pod
/// in the 08:00 hour of 2026-11-22, read at 09:02: the run rate of one 5-minute slot costing 50 is 600 an hour, so the
/// forecast (50 + 600 × 206.97 hours left in November) is far over any budget here from the first slot on.
/// </summary>
public sealed class BudgetServiceTests
{
    private static readonly DateTimeOffset Hour = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RaiseNoticesAsync_EachThresholdOnce_ActualAndForecast_EnvironmentAndTeam_Audited()
    {
        using var app = new CostsCoreApp();
        await app.AddEnvironmentAsync("bn-env", EnvironmentTier.Prod, "bn-c", team: "bn-team", budget: 100m);
        (await app.Get<CostService>().SetTeamBudgetAsync(Acting(Manager), "bn-team", 200m, null, CancellationToken.None)).Succeeded.ShouldBeTrue();
        var budgets = app.Get<BudgetService>();

        await app.RecordAsync("bn-c", Hour, Pod("bn-c", Hour, "bn-env", "api-1", "api", 50m, 0m));
        var first = await app.Get<CostSamplingJob>().RunAsync(CancellationToken.None);
        var again = await budgets.RaiseNoticesAsync(CancellationToken.None);
        await app.RecordAsync("bn-c", Hour.AddMinutes(5), Pod("bn-c", Hour, "bn-env", "api-1", "api", 35m, 0m));
        var at85 = await budgets.RaiseNoticesAsync(CancellationToken.None);
        await app.RecordAsync("bn-c", Hour.AddMinutes(10), Pod("bn-c", Hour, "bn-env", "api-1", "api", 20m, 0m));
        var at105 = await budgets.RaiseNoticesAsync(CancellationToken.None);

        // Month-to-date 50 of 100 and of 200: only the forecast has crossed.
        Keys(first.Raised).ShouldBe(
        [
            (BudgetScope.Environment, "bn-env", 80, BudgetBasis.Forecast), (BudgetScope.Environment, "bn-env", 100, BudgetBasis.Forecast),
            (BudgetScope.Team, "bn-team", 80, BudgetBasis.Forecast), (BudgetScope.Team, "bn-team", 100, BudgetBasis.Forecast),
        ], ignoreOrder: true);
        first.Raised.ShouldAllBe(n => n.Month == "2026-11" && n.Amount > 10_000m);
        again.ShouldBeEmpty("every crossing was raised already");
        Keys(at85).ShouldBe([(BudgetScope.Environment, "bn-env", 80, BudgetBasis.Actual)], "85 ≥ 80 % of 100; the team's 85 is below 80 % of 200");
        at85.Single().Amount.ShouldBe(85m);
        at85.Single().Budget.ShouldBe(100m);
        Keys(at105).ShouldBe([(BudgetScope.Environment, "bn-env", 100, BudgetBasis.Actual)]);
        at105.Single().Amount.ShouldBe(105m);

        var audit = (await app.AuditAsync(BudgetService.AuditAction)).Where(r => r.Target is "bn-env" or "team/bn-team").ToList();
        audit.Count.ShouldBe(6);
        audit.ShouldAllBe(r => r.Actor == ApprovalService.SystemActor && r.Outcome == AuditOutcome.Succeeded);
        audit.Where(r => r.Target == "bn-env").ShouldAllBe(r => r.Environment == "bn-env");
    }

    [Fact]
    public async Task NoticesAsync_ShowsNoticesOfEnvironmentsAndTeamsThePersonMayRead()
    {
        using var app = new CostsCoreApp();
        await app.AddEnvironmentAsync("nv-prod", EnvironmentTier.Prod, "nv-c", team: "nv-team", budget: 10m);
        await app.AddEnvironmentAsync("nv-dev", EnvironmentTier.Dev, "nv-c", team: "nv-other", budget: 10m);
        await app.RecordAsync("nv-c", Hour, Pod("nv-c", Hour, "nv-prod", "a", null, 50m, 0m), Pod("nv-c", Hour, "nv-dev", "b", null, 50m, 0m));
        (await app.Get<CostService>().SetTeamBudgetAsync(Acting(Manager), "nv-team", 10m, null, CancellationToken.None)).Succeeded.ShouldBeTrue();
        await app.Get<BudgetService>().RaiseNoticesAsync(CancellationToken.None);
        var costs = app.Get<CostService>();

        var manager = await costs.NoticesAsync(Manager, "2026-11", CancellationToken.None);
        var dev = await costs.NoticesAsync(Dev, "2026-11", CancellationToken.None);
        var lastMonth = await costs.NoticesAsync(Manager, "2026-10", CancellationToken.None);

        manager.Select(n => n.Name).Distinct().ShouldBe(["nv-dev", "nv-prod", "nv-team"], ignoreOrder: true);
        manager.Count.ShouldBe(12, "3 scopes × 80/100 % × actual/forecast");
        dev.Select(n => n.Name).Distinct().ShouldBe(["nv-dev"], "dev reads nv-dev but neither prod nor the team that owns only prod");
        lastMonth.ShouldBeEmpty();
        await Should.ThrowAsync<Portal.Core.Validation.ValidationFailedException>(() => costs.NoticesAsync(Manager, "November", CancellationToken.None));
    }

    [Fact]
    public async Task RaiseNoticesAsync_TwoAtOnce_RaiseEachNoticeOnce()
    {
        using var app = new CostsCoreApp();
        await app.AddEnvironmentAsync("bc-env", EnvironmentTier.Dev, "bc-c", budget: 10m);
        await app.RecordAsync("bc-c", Hour, Pod("bc-c", Hour, "bc-env", "a", null, 50m, 0m));
        var budgets = app.Get<BudgetService>();

        var both = await Task.WhenAll(budgets.RaiseNoticesAsync(CancellationToken.None), budgets.RaiseNoticesAsync(CancellationToken.None));

        both.SelectMany(r => r).Count().ShouldBe(4, "80 and 100 %, actual and forecast, whichever run raised them");
        (await app.Get<CostService>().NoticesAsync(Manager, null, CancellationToken.None)).Count(n => n.Name == "bc-env").ShouldBe(4);
    }

    private static List<(BudgetScope, string, int, BudgetBasis)> Keys(IEnumerable<BudgetNotice> notices) =>
        [.. notices.Select(n => (n.Scope, n.Name, n.ThresholdPercent, n.Basis))];
}
