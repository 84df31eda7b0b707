using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Actions;
using Portal.Core.Alarms;
using Portal.Core.Approvals;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Core.Catalog;
using Portal.Core.Costs;
using Portal.Core.Deployments;
using Portal.Core.Environments;
using Portal.Core.Jobs;
using Portal.Core.Logs;
using Portal.Core.Tokens;
using Portal.Web.Features.Workloads;
using static Portal.Core.Authorization.Permissions;

namespace Portal.Web.Tests.Authorization;

/// <summary>
/// What a Blazor event handler can reach: every public method that takes an <see cref="ActorContext"/>, found by
/// reflection in Portal.Core and Portal.Web, invoked through DI as each demo user (as the UI does, with a
/// session's principal) on a dev and a prod environment. Allowed or denied as the role table says, and each
/// attempt leaves exactly one audit record, Denied exactly when the role lacks the permission.
/// </summary>
[Collection(SweepCollection.Name)]
public sealed class HubActionSweepTests(SweepFixture sweep)
{
    private static readonly EnvironmentTier[] Tiers = [EnvironmentTier.Dev, EnvironmentTier.Prod];

    /// <summary>The runner every action goes through (decide, run, audit) and the actor itself: not actions of their own.</summary>
    private static readonly Type[] NotActions = [typeof(PortalActions), typeof(ActorContext)];

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var action in HubActions.All)
        {
            foreach (var tier in action.Scope == EndpointAccess.Environment ? Tiers : [EnvironmentTier.Dev])
            {
                foreach (var user in SweepFixture.DemoUsers)
                {
                    data.Add(action.Key, user, tier.ToWire());
                }
            }
        }

        return data;
    }

    [Fact]
    public void Table_CoversExactlyTheMethodsThatTakeAnActor()
    {
        var discovered = new[] { typeof(PortalActions).Assembly, typeof(WorkloadService).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t.IsClass && !NotActions.Contains(t))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(ActorContext)))
                .Select(m => $"{t.Name}.{m.Name}"))
            .ToList();

        discovered.Count.ShouldBeGreaterThan(30);
        discovered.ShouldBeUnique("overloads would need a row each");
        discovered.ShouldBe(HubActions.All.Select(a => a.Key), ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Action_AsDemoUser_AllowedOrDeniedAndAuditedOnce(string key, string user, string tier)
    {
        var action = HubActions.All.Single(a => a.Key == key);
        EnvironmentTiers.TryParse(tier, out var target).ShouldBeTrue();
        var invoke = await action.Arrange(sweep, user, target);
        var actor = await sweep.ActorAsync(user);
        var before = await sweep.AuditCountAsync(user);

        var outcome = await invoke(actor);

        var allowed = action.Scope switch
        {
            EndpointAccess.OwnAccount => true,
            EndpointAccess.Organisation => SweepFixture.Allows(user, action.Permission, null),
            EndpointAccess.Anywhere => SweepFixture.AllowsAnywhere(user, action.Permission),
            _ => SweepFixture.Allows(user, action.Permission, target),
        };
        var context = $"{key} as {user} on {tier}: {outcome}";
        if (allowed)
        {
            outcome.ShouldNotBe("Denied", context);
        }
        else
        {
            var hidden = action.Scope == EndpointAccess.Environment && action.Permission != EnvironmentsCreate
                && !SweepFixture.Allows(user, EnvironmentsRead, target);
            outcome.ShouldBe(hidden ? "NotFound" : "Denied", context);
        }

        if (!action.Audited)
        {
            (await sweep.AuditCountAsync(user)).ShouldBe(before, "a preview acts on nothing: " + context);
            return;
        }

        (await sweep.AuditCountAsync(user)).ShouldBe(before + 1, "exactly one audit record: " + context);
        var record = await sweep.LastAuditAsync(user);
        (record.Outcome == AuditOutcome.Denied).ShouldBe(!allowed, $"{context}; recorded {record.Outcome} {record.Reason}");
    }
}

/// <summary>One method a handler can call: its permission, where that is decided, and how to call it on fresh objects.</summary>
public sealed record HubAction(string Key, string Permission, EndpointAccess Scope, Func<SweepFixture, string, EnvironmentTier, Task<Func<ActorContext, Task<string>>>> Arrange)
{
    /// <summary>Previews only ask; every other action leaves one audit record.</summary>
    public bool Audited { get; init; } = true;
}

/// <summary>The table <see cref="HubActionSweepTests"/> checks against what reflection finds.</summary>
public static class HubActions
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static IReadOnlyList<HubAction> All { get; } =
    [
        Env<ApprovalService>("ApproveAsync", EnvironmentsApprove, async (f, tier, s) =>
        {
            var id = await f.PendingApprovalAsync((await f.FreshEnvironmentAsync(tier)).Name);
            return a => Kind(s.ApproveAsync(a, id, "swept", None));
        }),
        Env<ApprovalService>("RejectAsync", EnvironmentsApprove, async (f, tier, s) =>
        {
            var id = await f.PendingApprovalAsync((await f.FreshEnvironmentAsync(tier)).Name);
            return a => Kind(s.RejectAsync(a, id, "swept", None));
        }),
        Of<AccessTokenService>("CreateAsync", OwnAccount, EndpointAccess.OwnAccount, (_, _, _, s) =>
            Task.FromResult<Func<ActorContext, Task<string>>>(a => Kind(s.CreateAsync(a, new CreateTokenRequest { Name = "swept" }, None)))),
        Of<AccessTokenService>("RevokeAsync", OwnAccount, EndpointAccess.OwnAccount, async (f, user, _, s) =>
        {
            var id = (await f.CreateTokenAsync(user, null)).Token.Id;
            return a => Kind(s.RevokeAsync(a, id, None));
        }),
        Of<AccessTokenService>("CreateIngestAsync", AdminManage, EndpointAccess.Organisation, (_, _, _, s) =>
            Task.FromResult<Func<ActorContext, Task<string>>>(a => Kind(s.CreateIngestAsync(a, "swept-shipper", 30, None)))),
        Alarm("AcknowledgeAsync", AlarmsAcknowledge, (s, a, name) => Kind(s.AcknowledgeAsync(a, name, None))),
        Alarm("AssignAsync", AlarmsAcknowledge, (s, a, name) => Kind(s.AssignAsync(a, name, "oncall", None))),
        Alarm("SnoozeAsync", AlarmsAcknowledge, (s, a, name) => Kind(s.SnoozeAsync(a, name, DateTimeOffset.UtcNow.AddHours(1), None))),
        Alarm("UnsnoozeAsync", AlarmsAcknowledge, (s, a, name) => Kind(s.UnsnoozeAsync(a, name, None))),
        Alarm("SetRunbookAsync", AlarmsAcknowledge, (s, a, name) => Kind(s.SetRunbookAsync(a, name, "https://wiki.portal.test/runbooks/sweep", None))),
        Alarm("AddNoteAsync", AlarmsRead, (s, a, name) => Kind(s.AddNoteAsync(a, name, "swept", None))),
        Of<CatalogService>("CreateAsync", ServicesManage, EndpointAccess.Anywhere, (f, _, _, s) =>
            Task.FromResult<Func<ActorContext, Task<string>>>(a => Kind(s.CreateAsync(a, Service($"sweep-ui-{f.Next()}"), None)))),
        Of<CatalogService>("UpdateAsync", ServicesManage, EndpointAccess.Anywhere, (_, _, _, s) =>
            Task.FromResult<Func<ActorContext, Task<string>>>(a => Kind(s.UpdateAsync(a, "orders-worker", Service("orders-worker"), None)))),
        Env<JobService>("CancelAsync", JobsManage, async (f, tier, s) =>
        {
            var id = await f.JobAsync((await f.FreshEnvironmentAsync(tier)).Name, cancellable: true);
            return a => Kind(s.CancelAsync(a, id, None));
        }),
        Env<JobService>("RetryAsync", JobsManage, async (f, tier, s) =>
        {
            var id = await f.JobAsync((await f.FreshEnvironmentAsync(tier)).Name, cancellable: false);
            return a => Kind(s.RetryAsync(a, id, None));
        }),
        Env<EnvironmentService>("CreateAsync", EnvironmentsCreate, (f, tier, s) =>
            Task.FromResult<Func<ActorContext, Task<string>>>(a => Kind(s.CreateAsync(a, SweepFixture.CreateRequest($"sw-ui-{f.Next()}", tier), None)))),
        Env<EnvironmentService>("PreviewAsync", EnvironmentsCreate, (f, tier, s) =>
            Task.FromResult<Func<ActorContext, Task<string>>>(a => Kind(s.PreviewAsync(a, SweepFixture.CreateRequest($"sw-ui-{f.Next()}", tier), None)))) with { Audited = false },
        OnFresh<EnvironmentService>("UpdateAsync", EnvironmentsUpdate, (s, a, e) => Kind(s.UpdateAsync(a, e, new UpdateEnvironmentRequest { OwningTeam = "changed" }, None))),
        OnFresh<EnvironmentService>("ExtendTtlAsync", EnvironmentsExtendTtl, (s, a, e) => Kind(s.ExtendTtlAsync(a, e, 100, None))),
        OnFresh<EnvironmentService>("ScheduleTeardownAsync", EnvironmentsDestroy, (s, a, e) => Kind(s.ScheduleTeardownAsync(a, e, DateTimeOffset.UtcNow.AddDays(2), None))),
        OnFresh<EnvironmentService>("RequestDestroyAsync", EnvironmentsDestroy, (s, a, e) => Kind(s.RequestDestroyAsync(a, e, None))),
        OnFresh<DeploymentService>("PreviewAsync", DeploymentsDeploy, (s, a, e) => Kind(s.PreviewAsync(a, e, Deploy, None))) with { Audited = false },
        OnFresh<DeploymentService>("DeployAsync", DeploymentsDeploy, (s, a, e) => Kind(s.DeployAsync(a, e, Deploy, None))),
        OnFresh<DeploymentService>("RollbackAsync", DeploymentsRollback, (s, a, e) => Kind(s.RollbackAsync(a, e, Guid.NewGuid(), false, None))),
        OnFresh<DeploymentService>("PromoteAsync", DeploymentsDeploy, (s, a, e) => Kind(s.PromoteAsync(a, "payments-api", "test", e, false, None))),
        Of<CostService>("SetTeamBudgetAsync", CostsManage, EndpointAccess.Organisation, (_, _, _, s) =>
            Task.FromResult<Func<ActorContext, Task<string>>>(a => Kind(s.SetTeamBudgetAsync(a, "payments", 900, null, None)))),
        Of<SavedSearchService>("SaveAsync", LogsRead, EndpointAccess.Anywhere, (_, _, _, s) =>
            Task.FromResult<Func<ActorContext, Task<string>>>(a => Kind(s.SaveAsync(a, new SaveSearchRequest { Name = "swept", State = new SavedSearchState { Query = "level:error" } }, None)))),
        Of<SavedSearchService>("DeleteAsync", LogsRead, EndpointAccess.Anywhere, async (f, user, _, s) =>
        {
            var id = await f.SavedSearchAsync(user);
            return a => Kind(s.DeleteAsync(a, id, None));
        }),
        OnFresh<AccessService>("GrantAsync", AccessManage, (s, a, e) => Kind(s.GrantAsync(a, e, Grant, None))),
        Env<AccessService>("RevokeAsync", AccessManage, async (f, tier, s) =>
        {
            var (name, binding) = await f.FreshEnvironmentAsync(tier);
            return a => Kind(s.RevokeAsync(a, name, binding, None));
        }),
        Of<AccessService>("GrantOrganisationAsync", AdminManage, EndpointAccess.Organisation, (f, _, _, s) =>
            Task.FromResult<Func<ActorContext, Task<string>>>(a => Kind(s.GrantOrganisationAsync(a, Grant with { Subject = $"sweep-org-{f.Next()}" }, None)))),
        Of<AccessService>("RevokeOrganisationAsync", AdminManage, EndpointAccess.Organisation, async (f, _, _, s) =>
        {
            var id = await f.OrganisationBindingAsync();
            return a => Kind(s.RevokeOrganisationAsync(a, id, None));
        }),
        Env<WorkloadService>("ScaleAsync", WorkloadsScale, (_, tier, s) =>
            Task.FromResult<Func<ActorContext, Task<string>>>(a => Kind(s.ScaleAsync(a, SweepFixture.Seeded(tier), "payments-api", 2, None)))),
        Env<WorkloadService>("RestartPodAsync", WorkloadsRestart, (_, tier, s) =>
            Task.FromResult<Func<ActorContext, Task<string>>>(a => Kind(s.RestartPodAsync(a, SweepFixture.Seeded(tier), "web-0", None)))),
    ];

    private static DeployRequest Deploy => new() { Service = "payments-api", Version = "1.0.0" };

    private static GrantRequest Grant => new() { SubjectKind = "user", Subject = "sweep-grantee", Role = "Viewer" };

    private static ServiceInput Service(string name) => new()
    {
        Name = name, OwningTeam = "sweep", Description = "Swept.", ImageRepository = "registry.portal.test/sweep/app", HealthCheckPath = "/healthz",
    };

    /// <summary>The outcome's case name: Ok, Denied, Invalid, NotFound, Conflict or Unavailable.</summary>
    private static async Task<string> Kind<T>(Task<ActionResult<T>> call) => (await call).GetType().Name;

    private static HubAction Of<TService>(string method, string permission, EndpointAccess scope,
        Func<SweepFixture, string, EnvironmentTier, TService, Task<Func<ActorContext, Task<string>>>> arrange)
        where TService : notnull =>
        new($"{typeof(TService).Name}.{method}", permission, scope, (f, user, tier) => arrange(f, user, tier, f.Scope.GetRequiredService<TService>()));

    private static HubAction Env<TService>(string method, string permission, Func<SweepFixture, EnvironmentTier, TService, Task<Func<ActorContext, Task<string>>>> arrange)
        where TService : notnull =>
        Of<TService>(method, permission, EndpointAccess.Environment, (f, _, tier, s) => arrange(f, tier, s));

    private static HubAction OnFresh<TService>(string method, string permission, Func<TService, ActorContext, string, Task<string>> call)
        where TService : notnull =>
        Env<TService>(method, permission, async (f, tier, s) =>
        {
            var name = (await f.FreshEnvironmentAsync(tier)).Name;
            return a => call(s, a, name);
        });

    private static HubAction Alarm(string method, string permission, Func<AlarmService, ActorContext, string, Task<string>> call) =>
        Env<AlarmService>(method, permission, (_, tier, s) =>
            Task.FromResult<Func<ActorContext, Task<string>>>(a => call(s, a, SweepFixture.AlarmName(tier))));
}
