using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Actions;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Authorization;

/// <summary>
/// Every action of issue 3 against every role, on a dev and on a prod environment, through the API (HTTP, cookie
/// session) and through the services the Blazor handlers call: allowed or denied as the role table says, and each
/// attempt leaves exactly one audit record with the right outcome.
/// </summary>
public sealed class ActionMatrixTests(MatrixAppFactory matrix) : IClassFixture<MatrixAppFactory>
{
    private static readonly string[] Actions = ["read", "create", "update", "extend", "grant", "revoke", "destroy"];
    private static int _sequence;

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var role in MatrixAppFactory.RoleNames)
        {
            foreach (var tier in new[] { "dev", "prod" })
            {
                foreach (var action in Actions)
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
        var target = await ArrangeAsync(tier);
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
    [MemberData(nameof(Cases))]
    public async Task UiHandler_ActionAsRole_AllowedOrDeniedAndAuditedOnce(string role, string tier, string action)
    {
        var target = await ArrangeAsync(tier);
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
        _ => Permissions.EnvironmentsDestroy,
    };

    private static string AuditAction(string action) => action switch
    {
        "grant" => "access.grant",
        "revoke" => "access.revoke",
        _ => Permission(action),
    };

    /// <summary>A fresh environment of the tier (made by the admin), with one binding to revoke.</summary>
    private async Task<Target> ArrangeAsync(string tier)
    {
        var n = Interlocked.Increment(ref _sequence);
        var name = $"mx-{tier}-{n}";
        var admin = new ActorContext(await PrincipalOfAsync(Roles.PortalAdmin), "test", null, "arrange");
        var environments = matrix.App.Services.GetRequiredService<EnvironmentService>();
        (await environments.CreateAsync(admin, Request(name, tier), CancellationToken.None)).Succeeded.ShouldBeTrue();
        var grant = await matrix.App.Services.GetRequiredService<AccessService>().GrantAsync(admin, name,
            new GrantRequest { SubjectKind = "user", Subject = "someone", Role = Roles.Viewer }, CancellationToken.None);
        return new Target(name, tier, ((ActionResult<RoleBinding>.Ok)grant).Value.Id, $"mx-new-{tier}-{n}");
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
        return action switch
        {
            "read" => await environments.GetAsync(actor.Principal, t.Name, CancellationToken.None) is not null,
            "create" => (await environments.CreateAsync(actor, Request(t.NewName, t.Tier), CancellationToken.None)).Succeeded,
            "update" => (await environments.UpdateAsync(actor, t.Name, new UpdateEnvironmentRequest { OwningTeam = "changed" }, CancellationToken.None)).Succeeded,
            "extend" => (await environments.ExtendTtlAsync(actor, t.Name, 100, CancellationToken.None)).Succeeded,
            "grant" => (await access.GrantAsync(actor, t.Name, new GrantRequest { SubjectKind = "user", Subject = "newbie", Role = "Viewer" }, CancellationToken.None)).Succeeded,
            "revoke" => (await access.RevokeAsync(actor, t.Name, t.BindingId, CancellationToken.None)).Succeeded,
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

    private sealed record Target(string Name, string Tier, Guid BindingId, string NewName);
}
