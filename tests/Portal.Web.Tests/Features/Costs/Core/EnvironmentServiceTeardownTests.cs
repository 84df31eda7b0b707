using Portal.Core.Actions;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Core.Jobs;
using Portal.Core.Provisioning;
using static Portal.Web.Tests.Features.Costs.Core.CostsCoreApp;

namespace Portal.Web.Tests.Features.Costs.Core;

/// <summary>
/// Scheduling an idle environment's teardown (EnvironmentService.ScheduleTeardownAsync): an Owner sets when it
/// expires, within 90 days; never on prod, whose destruction needs a second person; every attempt audited; and at that
/// time the existing expiry sweep starts its destroy job.
/// </summary>
public sealed class EnvironmentServiceTeardownTests(EnvironmentServiceTeardownTests.App app) : IClassFixture<EnvironmentServiceTeardownTests.App>
{
    private const string Action = "environments.schedule-teardown";
    private static readonly PortalPrincipal Olive = Person("olive");

    public sealed class App : SeededCostsApp
    {
        protected override async Task SeedAsync(CostsCoreApp costs)
        {
            await costs.AddEnvironmentAsync("td-dev", EnvironmentTier.Dev, "td-c");
            await costs.AddEnvironmentAsync("td-later", EnvironmentTier.Test, "td-c");
            await costs.AddEnvironmentAsync("td-prod", EnvironmentTier.Prod, "td-c");
            await costs.BindAsync("olive", Roles.Owner, "td-dev");
            await costs.BindAsync("olive", Roles.Owner, "td-later");
            await costs.BindAsync("olive", Roles.Owner, "td-prod");
            await costs.BindAsync("vera", Roles.Viewer, "td-dev");
        }
    }

    private EnvironmentService Environments => app.Costs.Get<EnvironmentService>();

    [Fact]
    public async Task ScheduleTeardownAsync_Owner_SetsTheExpiry_Audited()
    {
        var at = Start.AddDays(7);

        var result = await Environments.ScheduleTeardownAsync(Acting(Olive), "td-later", at, CancellationToken.None);

        var changed = result.ShouldBeOfType<ActionResult<PortalEnvironment>.Ok>().Value;
        changed.ExpiresAt.ShouldBe(at);
        (await Environments.FindAsync("td-later", CancellationToken.None))!.ExpiresAt.ShouldBe(at, "stored, so the sweep finds it after a restart");
        (await app.Costs.AuditAsync(Action)).ShouldContain(r => r.Target == "td-later" && r.Actor == "olive" && r.Outcome == AuditOutcome.Succeeded && r.Environment == "td-later");
    }

    [Fact]
    public async Task ScheduleTeardownAsync_OnProd_InThePast_OrTooFarAhead_IsInvalidNamingAt()
    {
        var prod = await Environments.ScheduleTeardownAsync(Acting(Olive), "td-prod", Start.AddDays(1), CancellationToken.None);
        var past = await Environments.ScheduleTeardownAsync(Acting(Olive), "td-dev", Start.AddMinutes(-1), CancellationToken.None);
        var far = await Environments.ScheduleTeardownAsync(Acting(Olive), "td-dev", Start.AddDays(91), CancellationToken.None);

        prod.ShouldBeOfType<ActionResult<PortalEnvironment>.Invalid>().Errors.ToDictionary()["at"][0].ShouldContain("second person");
        past.ShouldBeOfType<ActionResult<PortalEnvironment>.Invalid>().Errors.ToDictionary()["at"][0].ShouldBe("must be in the future");
        far.ShouldBeOfType<ActionResult<PortalEnvironment>.Invalid>().Errors.ToDictionary()["at"][0].ShouldContain("90 days");
        (await Environments.FindAsync("td-prod", CancellationToken.None))!.ExpiresAt.ShouldBeNull();
        (await app.Costs.AuditAsync(Action)).Count(r => r.Target is "td-prod" or "td-dev" && r.Outcome == AuditOutcome.Invalid).ShouldBe(3);
    }

    [Fact]
    public async Task ScheduleTeardownAsync_ViewerIsDenied_StrangerFindsNothing()
    {
        var viewer = await Environments.ScheduleTeardownAsync(Acting(Person("vera")), "td-dev", Start.AddDays(1), CancellationToken.None);
        var stranger = await Environments.ScheduleTeardownAsync(Acting(Person("stan")), "td-dev", Start.AddDays(1), CancellationToken.None);

        viewer.ShouldBeOfType<ActionResult<PortalEnvironment>.Denied>().Decision.Permission.ShouldBe(Permissions.EnvironmentsDestroy);
        stranger.ShouldBeOfType<ActionResult<PortalEnvironment>.NotFound>();
        (await app.Costs.AuditAsync(Action)).Count(r => r.Target == "td-dev" && r.Outcome == AuditOutcome.Denied).ShouldBe(2, "the stranger too, though told it does not exist");
    }

    [Fact]
    public async Task ScheduleTeardownAsync_AtThatTime_TheExpirySweepStartsTheDestroyJob()
    {
        await app.Costs.AddEnvironmentAsync("td-swept", EnvironmentTier.Dev, "td-c");
        await app.Costs.BindAsync("olive", Roles.Owner, "td-swept");
        var now = app.Costs.Clock.GetUtcNow();
        (await Environments.ScheduleTeardownAsync(Acting(Olive), "td-swept", now.AddHours(1), CancellationToken.None)).Succeeded.ShouldBeTrue();
        var expiry = app.Costs.Get<EnvironmentExpiry>();
        var jobs = app.Costs.Get<IJobStore>();

        var early = await expiry.DestroyExpiredAsync(CancellationToken.None);
        app.Costs.Clock.Advance(TimeSpan.FromHours(1));
        var due = await expiry.DestroyExpiredAsync(CancellationToken.None);

        early.ShouldBeEmpty("not before its time");
        var job = (await jobs.ListAsync(new JobQuery { Environment = "td-swept", Kind = EnvironmentJobKinds.Destroy }, CancellationToken.None)).Items.ShouldHaveSingleItem();
        due.ShouldContain(job.Id);
        job.RequestedBy.ShouldBe(Portal.Core.Approvals.ApprovalService.SystemActor);
    }
}
