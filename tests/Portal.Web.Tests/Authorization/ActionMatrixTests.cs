using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Actions;
using Portal.Core.Approvals;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Core.Jobs;
using Portal.Core.Provisioning;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Authorization;

/// <summary>
/// Every action of issue 3 against every role, on a dev and on a prod environment, through the API (HTTP, cookie
/// session) and through the services the Blazor handlers call: allowed or denied as the role table says, and each
/// attempt leaves exactly one audit record with the right outcome. The services also decide the four-eyes approval
/// and a job's cancel and retry (the permissions environments.approve and jobs.manage).
/// </summary>
public sealed class ActionMatrixTests(MatrixAppFactory matrix) : IClassFixture<MatrixAppFactory>
{
    private static readonly string[] Actions = ["read", "create", "update", "extend", "grant", "revoke", "destroy"];
    private static readonly string[] ServiceOnlyActions = ["approve", "cancel-job", "retry-job"];
    private static int _sequence;

    public static TheoryData<string, string, string> Cases() => CasesOf(Actions);

    public static TheoryData<string, string, string> ServiceCases() => CasesOf([.. Actions, .. ServiceOnlyActions]);

    private static TheoryData<string, string, string> CasesOf(string[] actions)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var role in MatrixAppFactory.RoleNames)
        {
            foreach (var tier in new[] { "dev", "prod" })
            {
                foreach (var action in actions)
                {
                    data.Add(role, tier, action);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Api_ActionAsRole_AllowedOrDeniedAndAuditedOnce(string role, string tier, string action)
    {
        var target = await ArrangeAsync(tier, action);
        using var client = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(role));
        var before = await AuditCountAsync();

        using var response = await SendAsync(client, action, target);

        var (allowed, outcome) = Expected(role, tier, action);
        var body = await response.Content.ReadAsStringAsync();
        if (!allowed)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, body);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
            JsonDocument.Parse(body).RootElement.GetProperty("permission").GetString().ShouldBe(Permission(action));
        }
        else
        {
            if (outcome == AuditOutcome.Invalid)
            {
                response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
            }
            else
            {
                ((int)response.StatusCode).ShouldBeInRange(200, 299, body);
            }
        }

        await AssertAuditedOnceAsync(before, role, action, allowed ? outcome : AuditOutcome.Denied);
    }

    [Theory]
    [MemberData(nameof(ServiceCases))]
    public async Task UiHandler_ActionAsRole_AllowedOrDeniedAndAuditedOnce(string role, string tier, string action)
    {
        var target = await ArrangeAsync(tier, action);
        var actor = new ActorContext(await PrincipalOfAsync(role), "ui", "127.0.0.1", Guid.NewGuid().ToString("N"));
        var before = await AuditCountAsync();

        var succeeded = await RunServiceAsync(action, target, actor);

        var (allowed, outcome) = Expected(role, tier, action);
        if (action == "read")
        {
            succeeded.ShouldBe(allowed);
            (await AuditCountAsync()).ShouldBe(before, "reads are filtered, not audited");
            return;
        }

        succeeded.ShouldBe(allowed && outcome == AuditOutcome.Succeeded);
        await AssertAuditedOnceAsync(before, role, action, allowed ? outcome : AuditOutcome.Denied);
    }

    private static (bool Allowed, AuditOutcome Outcome) Expected(string role, string tier, string action)
    {
        var allowed = Roles.Find(role)!.Allows(Permission(action), tier == "dev" ? EnvironmentTier.Dev : EnvironmentTier.Prod);

        // Prod environments are long-lived: extending one is refused as invalid even for those who may extend.
        return (allowed, action == "extend" && tier == "prod" ? AuditOutcome.Invalid : AuditOutcome.Succeeded);
    }

    private static string Permission(string action) => action switch
    {
        "read" => Permissions.EnvironmentsRead,
        "create" => Permissions.EnvironmentsCreate,
        "update" => Permissions.EnvironmentsUpdate,
        "extend" => Permissions.EnvironmentsExtendTtl,
        "grant" or "revoke" => Permissions.AccessManage,
        "approve" => Permissions.EnvironmentsApprove,
        "cancel-job" or "retry-job" => Permissions.JobsManage,
        _ => Permissions.EnvironmentsDestroy,
    };

    private static string AuditAction(string action) => action switch
    {
        "grant" => "access.grant",
        "revoke" => "access.revoke",
        "approve" => "approvals.approve",
        "cancel-job" => "jobs.cancel",
        "retry-job" => "jobs.retry",
        _ => Permission(action),
    };

    /// <summary>
    /// A fresh environment of the tier that is Ready (provisioned, no job running: creating one through the service
    /// would leave its create job or its approval pending, and destroying waits for those), with one binding to
    /// revoke; for the approval and job actions also what they act on.
    /// </summary>
    private async Task<Target> ArrangeAsync(string tier, string action)
    {
        var n = Interlocked.Increment(ref _sequence);
        var name = $"mx-{tier}-{n}";
        var admin = new ActorContext(await PrincipalOfAsync(Roles.PortalAdmin), "test", null, "arrange");
        var services = matrix.App.Services;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var environment = EnvironmentValidator.Create(Request(name, tier), services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EnvironmentPolicyOptions>>().Value, admin.Principal.UserName, now)
            with { Status = EnvironmentStatus.Ready };
        Guid? approvalId = null;
        PortalJob? job = null;

        // Stored directly: granting through AccessService would start a job that syncs the cluster's RoleBindings,
        // and a running job makes destroy, approve and retry wait (one job per environment).
        var revocable = new RoleBinding(Guid.NewGuid(), SubjectKind.User, "someone", Roles.Viewer, BindingScope.ForEnvironment(name), null, admin.Principal.UserName, now);
        await using (var work = services.GetRequiredService<IUnitOfWorkFactory>().Begin())
        {
            work.Environments.Add(environment);
            work.Bindings.Add(revocable);
            if (action == "approve")
            {
                // Someone else asked to destroy it: the actor is the second person.
                var approval = new ApprovalRequest
                {
                    Id = Guid.NewGuid(), Environment = name, Action = ApprovalAction.Destroy, RequestedBy = "someone",
                    RequestedAt = now, ExpiresAt = now.AddHours(72), State = ApprovalState.Pending,
                };
                work.Approvals.Add(approval);
                approvalId = approval.Id;
            }
            else if (action is "cancel-job" or "retry-job")
            {
                job = EnvironmentJobKinds.NewUpdate(name, "someone", now);
                work.Jobs.Add(job);
            }

            await work.CommitAsync(CancellationToken.None);
        }

        if (job is not null)
        {
            await ArrangeJobAsync(job, action, now);
        }

        return new Target(name, tier, revocable.Id, $"mx-new-{tier}-{n}", approvalId, job?.Id);
    }

    /// <summary>
    /// To cancel: a job waiting out a day-long retry back-off (the running scheduler's sweep leaves it waiting, so it
    /// cannot finish under the test). To retry: a job whose first step failed.
    /// </summary>
    private async Task ArrangeJobAsync(PortalJob job, string action, DateTimeOffset now)
    {
        var store = matrix.App.Services.GetRequiredService<IJobStore>();
        var first = job.Steps[0] with { Attempts = 1, Error = "arranged failure", StartedAt = now, FinishedAt = now };
        if (action == "cancel-job")
        {
            await store.SaveStepAsync(job.Id, first with { State = StepState.Retrying, NextAttemptAt = now.AddDays(1) }, CancellationToken.None);
            await store.SaveJobAsync(job with { State = JobState.Running, StartedAt = now, Worker = "elsewhere" }, CancellationToken.None);
        }
        else
        {
            await store.SaveStepAsync(job.Id, first with { State = StepState.Failed }, CancellationToken.None);
            await store.SaveJobAsync(job with { State = JobState.Failed, StartedAt = now, FinishedAt = now, Error = "arranged failure" }, CancellationToken.None);
        }
    }

    private static CreateEnvironmentRequest Request(string name, string tier) => new()
    {
        Name = name, DisplayName = name, Tier = tier, OwningTeam = "matrix", CostCentre = "cc-1",
    };

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string action, Target t) => action switch
    {
        "read" => client.GetAsync(new Uri($"/api/v1/environments/{t.Name}", UriKind.Relative)),
        "create" => client.PostAsJsonAsync("/api/v1/environments", Request(t.NewName, t.Tier)),
        "update" => client.PatchAsJsonAsync($"/api/v1/environments/{t.Name}", new { owningTeam = "changed" }),
        "extend" => client.PostAsJsonAsync($"/api/v1/environments/{t.Name}/extend", new { hours = 100 }),
        "grant" => client.PostAsJsonAsync($"/api/v1/environments/{t.Name}/access", new { subjectKind = "user", subject = "newbie", role = "Viewer" }),
        "revoke" => client.DeleteAsync(new Uri($"/api/v1/environments/{t.Name}/access/{t.BindingId}", UriKind.Relative)),
        _ => client.DeleteAsync(new Uri($"/api/v1/environments/{t.Name}", UriKind.Relative)),
    };

    private async Task<bool> RunServiceAsync(string action, Target t, ActorContext actor)
    {
        var environments = matrix.App.Services.GetRequiredService<EnvironmentService>();
        var access = matrix.App.Services.GetRequiredService<AccessService>();
        var approvals = matrix.App.Services.GetRequiredService<ApprovalService>();
        var jobs = matrix.App.Services.GetRequiredService<JobService>();
        return action switch
        {
            "read" => await environments.GetAsync(actor.Principal, t.Name, CancellationToken.None) is not null,
            "create" => (await environments.CreateAsync(actor, Request(t.NewName, t.Tier), CancellationToken.None)).Succeeded,
            "update" => (await environments.UpdateAsync(actor, t.Name, new UpdateEnvironmentRequest { OwningTeam = "changed" }, CancellationToken.None)).Succeeded,
            "extend" => (await environments.ExtendTtlAsync(actor, t.Name, 100, CancellationToken.None)).Succeeded,
            "grant" => (await access.GrantAsync(actor, t.Name, new GrantRequest { SubjectKind = "user", Subject = "newbie", Role = "Viewer" }, CancellationToken.None)).Succeeded,
            "revoke" => (await access.RevokeAsync(actor, t.Name, t.BindingId, CancellationToken.None)).Succeeded,
            "approve" => (await approvals.ApproveAsync(actor, t.ApprovalId!.Value, "ok", CancellationToken.None)).Succeeded,
            "cancel-job" => (await jobs.CancelAsync(actor, t.JobId!.Value, CancellationToken.None)).Succeeded,
            "retry-job" => (await jobs.RetryAsync(actor, t.JobId!.Value, CancellationToken.None)).Succeeded,
            _ => (await environments.RequestDestroyAsync(actor, t.Name, CancellationToken.None)).Succeeded,
        };
    }

    private async Task AssertAuditedOnceAsync(int before, string role, string action, AuditOutcome outcome)
    {
        var page = await matrix.App.Services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery { Take = 5 }, null, true, CancellationToken.None);
        if (action == "read")
        {
            page.Total.ShouldBe(before, "reads are filtered, not audited");
            return;
        }

        page.Total.ShouldBe(before + 1, "exactly one audit record per attempt");
        var record = page.Records[0];
        record.Actor.ShouldBe(MatrixAppFactory.UserFor(role));
        record.Action.ShouldBe(AuditAction(action));
        record.Outcome.ShouldBe(outcome, record.Reason);
    }

    private async Task<int> AuditCountAsync() =>
        (await matrix.App.Services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery { Take = 1 }, null, true, CancellationToken.None)).Total;

    private async Task<PortalPrincipal> PrincipalOfAsync(string role)
    {
        var user = await matrix.App.Services.GetRequiredService<Portal.Core.Identity.IUserDirectory>().FindAsync(MatrixAppFactory.UserFor(role), CancellationToken.None);
        return new PortalPrincipal(user!.UserName, user.DisplayName, user.Groups);
    }

    private sealed record Target(string Name, string Tier, Guid BindingId, string NewName, Guid? ApprovalId = null, Guid? JobId = null);
}
