using Portal.Core.Actions;
using Portal.Core.Alarms;
using Portal.Core.Costs;
using Portal.Core.Deployments;
using Portal.Core.Environments;
using Portal.Web.Tests.Features.Alarms;
using static Portal.Web.Tests.Features.Costs.Core.CostsCoreApp;

namespace Portal.Web.Tests.Features.Costs.Core;

/// <summary>
/// The status overview over the real database, with the cluster, the alarms and the cost samples scripted: one row per
/// environment with each health (healthy, degraded by pods or by an alarm, down, unknown when the cluster does not
/// answer), the last deploy, the month against the budget, time left and the idle verdict; a part that fails leaves
/// the rest of its row. Idle after 7 days (the default) without a deploy and below 5 % of requested CPU used.
/// </summary>
public sealed class StatusServiceTests(StatusServiceTests.App app) : IClassFixture<StatusServiceTests.App>
{
    private const string Cluster = "st-c";
    private static readonly DateTimeOffset Hour = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    public sealed class App : SeededCostsApp
    {
        protected override async Task SeedAsync(CostsCoreApp costs)
        {
            var now = costs.Clock.GetUtcNow();
            await costs.AddEnvironmentAsync("st-ok", EnvironmentTier.Dev, Cluster, budget: 100m, expiresAt: now.AddHours(5));
            await costs.AddEnvironmentAsync("st-degraded", EnvironmentTier.Dev, Cluster);
            await costs.AddEnvironmentAsync("st-down", EnvironmentTier.Dev, Cluster);
            await costs.AddEnvironmentAsync("st-unknown", EnvironmentTier.Dev, Cluster);
            await costs.AddEnvironmentAsync("st-alarm", EnvironmentTier.Dev, Cluster, age: TimeSpan.FromDays(1));
            costs.Deployer.Live["st-ok"] = [ScriptedDeployer.Service("web", 2, 2), ScriptedDeployer.Service("worker", 1, 1)];
            costs.Deployer.Live["st-degraded"] = [ScriptedDeployer.Service("web", 2, 1)];
            costs.Deployer.Live["st-down"] = [ScriptedDeployer.Service("web", 2, 0)];
            costs.Deployer.Live["st-alarm"] = [ScriptedDeployer.Service("web", 1, 1)];
            costs.Alarms.Alarms["st-alarm/web/5xx-rate"] = TestAlarms.Metric("st-alarm/web/5xx-rate", AlarmState.Alarm, now.AddMinutes(-3));
            costs.Alarms.Alarms["st-ok/web/5xx-rate"] = TestAlarms.Metric("st-ok/web/5xx-rate", AlarmState.Ok, now.AddHours(-3));
            await costs.Get<IAlarmFeed>().RefreshAsync(CancellationToken.None);

            await using (var work = costs.Get<IUnitOfWorkFactory>().Begin())
            {
                work.Releases.Add(Release("st-ok", "web", "1.4.2", now.AddDays(-2)));
                await work.CommitAsync(CancellationToken.None);
            }

            // st-down's pod idles (1 % of its CPU used), st-unknown's is busy (50 %), st-ok's costs 12.
            await costs.RecordAsync(Cluster, Hour,
                Pod(Cluster, Hour, "st-ok", "web-1", "web", 10m, 2m, cpuRequest: 1, cpuUsage: 0.9),
                Pod(Cluster, Hour, "st-down", "web-1", "web", 1m, 0m, cpuRequest: 1, cpuUsage: 0.01),
                Pod(Cluster, Hour, "st-unknown", "web-1", "web", 1m, 0m, cpuRequest: 1, cpuUsage: 0.5));
        }

        private static Release Release(string environment, string service, string version, DateTimeOffset at) => new()
        {
            Id = Guid.NewGuid(), Service = service, Environment = environment, Number = 1, State = ReleaseState.Succeeded,
            RequestedBy = "dev", CreatedAt = at, StartedAt = at, FinishedAt = at.AddMinutes(1),
            Spec = new DeploySpec { Image = $"registry.portal.test/{service}:{version}" }, Manifests = [],
        };
    }

    private StatusService Service => app.Costs.Get<StatusService>();

    [Fact]
    public async Task OverviewAsync_OneRowPerEnvironment_WithEachHealth()
    {
        var rows = (await Service.OverviewAsync(Manager, CancellationToken.None)).ToDictionary(r => r.Environment.Name);

        rows["st-ok"].Health.ShouldBe(EnvironmentHealth.Healthy);
        rows["st-ok"].PodsReady.ShouldBe(3, "summed over its services");
        rows["st-ok"].PodsDesired.ShouldBe(3);
        rows["st-ok"].AlarmsFiring.ShouldBe(0, "its alarm is OK");
        rows["st-degraded"].Health.ShouldBe(EnvironmentHealth.Degraded);
        rows["st-down"].Health.ShouldBe(EnvironmentHealth.Down);
        rows["st-alarm"].Health.ShouldBe(EnvironmentHealth.Degraded, "all pods ready, but an alarm is firing");
        rows["st-alarm"].AlarmsFiring.ShouldBe(1);
        rows["st-unknown"].Health.ShouldBe(EnvironmentHealth.Unknown);
        rows["st-unknown"].PodsReady.ShouldBeNull();
        rows["st-unknown"].Problems.ShouldContain(p => p.Contains("did not answer"));
        rows["st-unknown"].Month.ShouldNotBeNull("the cluster being down does not hide the costs already sampled");
        rows["st-ok"].Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task OverviewAsync_LastDeployMonthTtlAndIdle()
    {
        var rows = (await Service.OverviewAsync(Manager, CancellationToken.None)).ToDictionary(r => r.Environment.Name);
        var ok = rows["st-ok"];

        ok.LastDeploy.ShouldNotBeNull();
        (ok.LastDeploy.Service, ok.LastDeploy.Version, ok.LastDeploy.By, ok.LastDeploy.State).ShouldBe(("web", "1.4.2", "dev", "Succeeded"));
        ok.LastDeploy.At.ShouldBe(Start.AddDays(-2));
        ok.Month.ShouldNotBeNull();
        ok.Month.MonthToDate.ShouldBe(12m);
        ok.Month.Budget.ShouldBe(100m);
        ok.TimeLeft.ShouldBe(TimeSpan.FromHours(5));
        rows["st-down"].TimeLeft.ShouldBeNull("long-lived");
        ok.Idle!.Idle.ShouldBeFalse("deployed 2 days ago");
        rows["st-down"].Idle!.Idle.ShouldBeTrue("never deployed in 30 days, 1 % of its CPU used");
        rows["st-down"].Idle!.CpuUsageShare!.Value.ShouldBe(0.01, 1e-9);
        rows["st-unknown"].Idle!.Idle.ShouldBeFalse("50 % of its CPU used");
        rows["st-degraded"].Idle!.Idle.ShouldBeTrue("no pods at all in 30 days");
        rows["st-alarm"].Idle!.Idle.ShouldBeFalse("created a day ago");
        rows["dev"].Environment.Tier.ShouldBe(EnvironmentTier.Dev, "the demo environments are rows too");
    }

    [Fact]
    public async Task OverviewAsync_OnlyEnvironmentsThePersonMaySee_AndAFailingAlarmSourceIsAProblemNotAnError()
    {
        await app.Costs.BindAsync("sam", Portal.Core.Authorization.Roles.Viewer, "st-alarm");

        var rows = await Service.OverviewAsync(Person("sam"), CancellationToken.None);

        rows.Select(r => r.Environment.Name).ShouldBe(["st-alarm"]);
        rows[0].AlarmsFiring.ShouldBe(1);
        (await Service.OverviewAsync(Portal.Core.Authorization.PortalPrincipal.Anonymous, CancellationToken.None)).ShouldBeEmpty();

        app.Costs.Alarms.Failure = new AlarmSourceException(AwsFailure.Throttled, "CloudWatch is throttling account 'test'.");
        try
        {
            await app.Costs.Get<IAlarmFeed>().RefreshAsync(CancellationToken.None);
            var degraded = (await Service.OverviewAsync(Person("sam"), CancellationToken.None)).Single();
            degraded.Problems.ShouldContain(p => p.Contains("throttling"));
            degraded.AlarmsFiring.ShouldBe(1, "the last alarms read still count");
            degraded.PodsReady.ShouldBe(1);
        }
        finally
        {
            app.Costs.Alarms.Failure = null;
            await app.Costs.Get<IAlarmFeed>().RefreshAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task IdleAsync_ListsTheIdleEnvironments_WithWhy()
    {
        var idle = await Service.IdleAsync(Manager, CancellationToken.None);
        var mine = idle.Where(x => x.Environment.Name.StartsWith("st-", StringComparison.Ordinal)).ToList();

        mine.Select(x => x.Environment.Name).ShouldBe(["st-degraded", "st-down"], ignoreOrder: true);
        mine.ShouldAllBe(x => x.Verdict.Idle && x.Verdict.DaysSinceDeploy >= 29.9 && x.Month != null);
        mine.Single(x => x.Environment.Name == "st-down").Verdict.Reason.ShouldContain("1%");
        idle.ShouldNotContain(x => x.Environment.Name == "dev", "the demo environments were created just now");
    }
}
