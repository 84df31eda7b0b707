using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Approvals;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Core.Jobs;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Features.Environments;
using Portal.Web.Tests.Features.Workloads;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Approvals;

/// <summary>
/// Four-eyes on prod through /api/v1/approvals, against the sandbox cluster: the requester can never decide, a
/// second PortalAdmin's approval starts the job, a rejection or a lapse leaves a rejected record, and every decision
/// is audited once.
/// </summary>
public sealed class ApprovalsApiTests(SandboxAppFactory sandbox) : IClassFixture<SandboxAppFactory>
{
    private static readonly string SecondAdmin = MatrixAppFactory.UserFor(Roles.PortalAdmin);

    [Fact]
    public async Task CreateProd_AsPortalAdmin_AwaitsApprovalWithOnePendingRequestAndNoJob()
    {
        using var admin = await sandbox.App.SignInAsync("admin");

        using var created = await admin.PostAsJsonAsync("/api/v1/environments", PreviewApiTests.Body("ap-wait", tier: "prod"));

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().ShouldBe("awaitingApproval");
        var pending = await RequestsAsync(admin, "ap-wait", "pending");
        pending.Count.ShouldBe(1);
        pending[0].GetProperty("action").GetString().ShouldBe("create");
        pending[0].GetProperty("requestedBy").GetString().ShouldBe("admin");
        (await JobsAsync(sandbox.App, "ap-wait")).Total.ShouldBe(0);
    }

    [Fact]
    public async Task Approve_OwnRequest_409AndNothingChanges()
    {
        using var admin = await sandbox.App.SignInAsync("admin");
        var id = await CreateProdAsync(admin, "ap-own");

        using var response = await admin.PostAsync(new Uri($"/api/v1/approvals/{id}/approve", UriKind.Relative), null);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldContain("asked for this yourself");
        (await RequestsAsync(admin, "ap-own", "pending")).Count.ShouldBe(1);
        (await StatusAsync(admin, "ap-own")).ShouldBe("awaitingApproval");
        (await JobsAsync(sandbox.App, "ap-own")).Total.ShouldBe(0);
        var decisions = await DecisionsAsync(sandbox.App, "ap-own");
        decisions.Count.ShouldBe(1);
        (decisions[0].Action, decisions[0].Actor, decisions[0].Outcome).ShouldBe(("approvals.approve", "admin", AuditOutcome.Failed));
    }

    [Fact]
    public async Task Approve_BySecondPortalAdmin_StartsTheCreateJobAndTheEnvironmentBecomesReady()
    {
        using var admin = await sandbox.App.SignInAsync("admin");
        using var second = await sandbox.App.SignInAsync(SecondAdmin);
        var id = await CreateProdAsync(admin, "ap-yes");

        using var response = await second.PostAsJsonAsync($"/api/v1/approvals/{id}/approve", new { comment = "change CHG-42" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var decided = await response.Content.ReadFromJsonAsync<JsonElement>();
        (decided.GetProperty("state").GetString(), decided.GetProperty("decidedBy").GetString(), decided.GetProperty("comment").GetString())
            .ShouldBe(("approved", SecondAdmin, "change CHG-42"));
        var jobs = await JobsAsync(sandbox.App, "ap-yes");
        jobs.Total.ShouldBe(1);
        jobs.Items[0].Kind.ShouldBe("environment.create");
        jobs.Items[0].Id.ShouldBe(decided.GetProperty("jobId").GetGuid());
        await EventuallyAsync(async () => await StatusAsync(admin, "ap-yes") == "ready");
        var decisions = await DecisionsAsync(sandbox.App, "ap-yes");
        decisions.Count.ShouldBe(1);
        (decisions[0].Action, decisions[0].Actor, decisions[0].Outcome).ShouldBe(("approvals.approve", SecondAdmin, AuditOutcome.Succeeded));
    }

    [Fact]
    public async Task Reject_BySecondPortalAdmin_EnvironmentRejectedNoJob()
    {
        using var admin = await sandbox.App.SignInAsync("admin");
        using var second = await sandbox.App.SignInAsync(SecondAdmin);
        var id = await CreateProdAsync(admin, "ap-no");

        using var response = await second.PostAsJsonAsync($"/api/v1/approvals/{id}/reject", new { comment = "not this quarter" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString().ShouldBe("rejected");
        (await StatusAsync(admin, "ap-no")).ShouldBe("rejected");
        (await JobsAsync(sandbox.App, "ap-no")).Total.ShouldBe(0);
        (await RequestsAsync(admin, "ap-no", "rejected")).Single().GetProperty("comment").GetString().ShouldBe("not this quarter");
        var decisions = await DecisionsAsync(sandbox.App, "ap-no");
        decisions.Count.ShouldBe(1);
        (decisions[0].Action, decisions[0].Outcome).ShouldBe(("approvals.reject", AuditOutcome.Succeeded));

        using var again = await second.PostAsync(new Uri($"/api/v1/approvals/{id}/approve", UriKind.Relative), null);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await StatusAsync(admin, "ap-no")).ShouldBe("rejected");
    }

    [Fact]
    public async Task Approve_ByDeveloper_403StillPending()
    {
        using var admin = await sandbox.App.SignInAsync("admin");
        using var developer = await sandbox.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));
        var id = await CreateProdAsync(admin, "ap-dev");

        using var response = await developer.PostAsync(new Uri($"/api/v1/approvals/{id}/approve", UriKind.Relative), null);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await RequestsAsync(admin, "ap-dev", "pending")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Approve_Unknown_404()
    {
        using var second = await sandbox.App.SignInAsync(SecondAdmin);

        using var response = await second.PostAsync(new Uri($"/api/v1/approvals/{Guid.NewGuid()}/approve", UriKind.Relative), null);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task Decide_BodyNotJson_415()
    {
        using var second = await sandbox.App.SignInAsync(SecondAdmin);

        using var response = await second.PostAsync(new Uri($"/api/v1/approvals/{Guid.NewGuid()}/reject", UriKind.Relative),
            new StringContent("comment=x", System.Text.Encoding.UTF8, "text/plain"));

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("1")]
    public async Task List_UnknownState_400NamingState(string state)
    {
        using var admin = await sandbox.App.SignInAsync("admin");

        using var response = await admin.GetAsync(new Uri($"/api/v1/approvals?state={state}", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync();
        JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty("state", out _).ShouldBeTrue(body);
    }

    [Fact]
    public async Task List_SomeoneWhoCannotSeeTheEnvironment_DoesNotSeeItsRequest()
    {
        using var admin = await sandbox.App.SignInAsync("admin");
        await CreateProdAsync(admin, "ap-hidden");
        using var dev = await sandbox.App.SignInAsync("dev");

        var seen = await dev.GetFromJsonAsync<JsonElement>("/api/v1/approvals");

        seen.EnumerateArray().ShouldNotContain(r => r.GetProperty("environment").GetString() == "ap-hidden");
    }

    /// <summary>A request nobody decides lapses: the sweep marks it expired, the environment rejected, and a late approval is refused.</summary>
    [Fact]
    public async Task Approve_AfterTheRequestLapsed_409AndTheEnvironmentIsRejected()
    {
        using var app = new PortalAppFactory { Clock = new Portal.Testing.FakeClock(DateTimeOffset.UtcNow) };
        app.Settings["Jobs:Enabled"] = "false";   // this test runs the expiry sweep itself
        MatrixAppFactory.AddRoleUsers(app);
        using (var admin = await app.SignInAsync("admin"))
        {
            await CreateProdAsync(admin, "ap-late");
        }

        var hours = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Portal.Core.Environments.EnvironmentPolicyOptions>>().Value.ApprovalExpiryHours;
        app.Clock!.Advance(TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(1));
        (await app.Services.GetRequiredService<ApprovalService>().ExpireAsync(CancellationToken.None)).ShouldBe(1);
        using var second = await app.SignInAsync(SecondAdmin);
        var request = (await RequestsAsync(second, "ap-late", null)).Single();
        request.GetProperty("state").GetString().ShouldBe("expired");

        using var response = await second.PostAsync(new Uri($"/api/v1/approvals/{request.GetProperty("id").GetGuid()}/approve", UriKind.Relative), null);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await StatusAsync(second, "ap-late")).ShouldBe("rejected");
        (await JobsAsync(app, "ap-late")).Total.ShouldBe(0);
        var decisions = await DecisionsAsync(app, "ap-late");
        decisions.Select(d => (d.Action, d.Outcome)).OrderBy(d => d.Action, StringComparer.Ordinal)
            .ShouldBe([("approvals.approve", AuditOutcome.Failed), ("approvals.expire", AuditOutcome.Succeeded)]);
    }

    /// <summary>Creates a prod environment as <paramref name="requester"/> and returns its pending approval's id.</summary>
    [Fact]
    public async Task ApproveDestroy_ByAFriendTheRequesterMadeOwner_403AndTheGrantReachesTheClusterRoleBinding()
    {
        using var admin = await sandbox.App.SignInAsync("admin");
        using var second = await sandbox.App.SignInAsync(SecondAdmin);
        var create = await CreateProdAsync(admin, "ap-friend");
        (await second.PostAsync(new Uri($"/api/v1/approvals/{create}/approve", UriKind.Relative), null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await EventuallyAsync(async () => await StatusAsync(admin, "ap-friend") == "ready");

        // The requester makes a friend Owner of the environment, then asks to destroy it.
        (await admin.PostAsJsonAsync("/api/v1/environments/ap-friend/access", new { subjectKind = "User", subject = "dev", role = "Owner" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        await EventuallyAsync(async () => (await sandbox.App.Services.GetRequiredService<IJobStore>().UnfinishedAsync(CancellationToken.None)).All(j => j.Environment != "ap-friend"));
        (await admin.DeleteAsync(new Uri("/api/v1/environments/ap-friend", UriKind.Relative))).IsSuccessStatusCode.ShouldBeTrue();
        var destroy = (await RequestsAsync(admin, "ap-friend", "pending")).Single().GetProperty("id").GetGuid();
        using var friend = await sandbox.App.SignInAsync("dev");

        using var response = await friend.PostAsync(new Uri($"/api/v1/approvals/{destroy}/approve", UriKind.Relative), null);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await RequestsAsync(admin, "ap-friend", "pending")).Count.ShouldBe(1);

        // The grant itself did reach the cluster: an update job re-applied the namespace's RoleBindings.
        var cluster = await sandbox.App.Services.GetRequiredService<Portal.Kubernetes.Provisioning.IKubernetesClients>().ClientForAsync("sandbox", CancellationToken.None);
        var path = new Portal.Kubernetes.Rest.ResourcePath("rbac.authorization.k8s.io", "v1", "rolebindings", "ap-friend");
        await EventuallyAsync(async () =>
        {
            var binding = await cluster.GetAsync(path, "portal-owner", Portal.Kubernetes.Model.KubernetesJson.Default.JsonElement, CancellationToken.None);
            return binding.GetProperty("subjects").EnumerateArray().Any(s => s.GetProperty("name").GetString() == "dev");
        });
    }

    [Fact]
    public async Task RejectDestroy_OfAFailedEnvironment_LeavesItFailed()
    {
        var services = sandbox.App.Services;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var failed = Portal.Core.Environments.EnvironmentValidator.Create(
            new Portal.Core.Environments.CreateEnvironmentRequest { Name = "ap-failed", DisplayName = "x", Tier = "prod", OwningTeam = "t", CostCentre = "c" },
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Portal.Core.Environments.EnvironmentPolicyOptions>>().Value, "admin", now)
            with { Status = Portal.Core.Environments.EnvironmentStatus.Failed };
        await using (var work = services.GetRequiredService<Portal.Core.Actions.IUnitOfWorkFactory>().Begin())
        {
            work.Environments.Add(failed);
            await work.CommitAsync(CancellationToken.None);
        }

        using var admin = await sandbox.App.SignInAsync("admin");
        using var second = await sandbox.App.SignInAsync(SecondAdmin);
        (await admin.DeleteAsync(new Uri("/api/v1/environments/ap-failed", UriKind.Relative))).IsSuccessStatusCode.ShouldBeTrue();
        (await StatusAsync(admin, "ap-failed")).ShouldBe("destroyRequested");
        var id = (await RequestsAsync(admin, "ap-failed", "pending")).Single().GetProperty("id").GetGuid();

        (await second.PostAsync(new Uri($"/api/v1/approvals/{id}/reject", UriKind.Relative), null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await StatusAsync(admin, "ap-failed")).ShouldBe("failed");
    }

    internal static async Task<Guid> CreateProdAsync(HttpClient requester, string name)
    {
        (await requester.PostAsJsonAsync("/api/v1/environments", PreviewApiTests.Body(name, tier: "prod"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await RequestsAsync(requester, name, "pending")).Single().GetProperty("id").GetGuid();
    }

    private static async Task<List<JsonElement>> RequestsAsync(HttpClient client, string environment, string? state) =>
        [.. (await client.GetFromJsonAsync<JsonElement>(state is null ? "/api/v1/approvals" : $"/api/v1/approvals?state={state}"))
            .EnumerateArray().Where(r => r.GetProperty("environment").GetString() == environment)];

    private static async Task<string?> StatusAsync(HttpClient client, string environment) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/environments/{environment}")).GetProperty("status").GetString();

    private static Task<JobPage> JobsAsync(PortalAppFactory app, string environment) =>
        app.Services.GetRequiredService<IJobStore>().ListAsync(new JobQuery { Environment = environment }, CancellationToken.None);

    private static async Task<List<AuditRecord>> DecisionsAsync(PortalAppFactory app, string environment) =>
        [.. (await app.Services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery { Environment = environment, Take = 100 }, null, true, CancellationToken.None))
            .Records.Where(r => r.Action.StartsWith("approvals.", StringComparison.Ordinal))];

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException("the condition did not hold within 60 s");
            }

            await Task.Delay(250);
        }
    }
}
