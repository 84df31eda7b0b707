using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Authorization;

/// <summary>
/// Every endpoint the app maps, found at run time, called anonymously, as each demo user with a signed-in session and
/// with each one's personal access token, on a dev and on a prod environment where the endpoint is decided per
/// environment. What each case should get comes from <see cref="EndpointRules"/> (the permission an endpoint needs)
/// and the role table (<see cref="RoleDefinition.Allows"/>), never typed per role.
/// </summary>
[Collection(SweepCollection.Name)]
public sealed class EndpointSweepTests(SweepFixture sweep)
{
    private static readonly EnvironmentTier[] Tiers = [EnvironmentTier.Dev, EnvironmentTier.Prod];

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var rule in EndpointRules.All)
        {
            foreach (var tier in rule.PerTier ? Tiers : [EnvironmentTier.Dev])
            {
                data.Add(rule.Key, "anonymous", tier.ToWire());
                if (rule.Access == EndpointAccess.Public)
                {
                    continue;
                }

                foreach (var user in SweepFixture.DemoUsers)
                {
                    data.Add(rule.Key, $"session:{user}", tier.ToWire());

                    // Pages look the same to every token (signed in or not); the API is where tokens differ by user.
                    if (rule.Access != EndpointAccess.Page || user == "viewer")
                    {
                        data.Add(rule.Key, $"token:{user}", tier.ToWire());
                    }
                }
            }
        }

        return data;
    }

    [Fact]
    public void Table_CoversExactlyTheDiscoveredEndpoints()
    {
        var endpoints = sweep.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var assets = endpoints.Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is not null).ToList();
        var discovered = endpoints.Except(assets).Select(Key).ToList();

        discovered.Count.ShouldBeGreaterThan(100, "the app maps its API, pages and hub");
        discovered.ShouldBeUnique();
        discovered.Except(EndpointRules.All.Select(r => r.Key)).ShouldBeEmpty("endpoints without a row in EndpointRules");
        EndpointRules.All.Select(r => r.Key).Except(discovered).ShouldBeEmpty("rows in EndpointRules whose endpoint is gone");
        EndpointRules.All.Select(r => r.Key).ShouldBeUnique();

        // Static assets (CSS, scripts, images) are public by design: each one, and nothing else, allows anonymous reads.
        assets.ShouldNotBeEmpty();
        assets.ShouldAllBe(e => e.Metadata.GetMetadata<IAllowAnonymous>() != null);
        var anonymous = endpoints.Except(assets).Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() != null).Select(Key).ToList();
        anonymous.ShouldBe(EndpointRules.All.Where(r => r.Access == EndpointAccess.Public).Select(r => r.Key), ignoreOrder: true);
    }

    [Fact]
    public async Task StaticAssets_ReadAnonymously()
    {
        using var client = sweep.App.CreateAnonymousClient();
        foreach (var path in new[] { "/_framework/blazor.web.js", "/app.css" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }
    }

    /// <summary>The role table the sweeps derive from (<see cref="SweepFixture.RoleOf"/>) is what the seed binds.</summary>
    [Fact]
    public async Task RoleTable_MatchesTheSeedsBindings()
    {
        var now = sweep.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var environments = sweep.Services.GetRequiredService<EnvironmentService>();
        foreach (var user in SweepFixture.DemoUsers)
        {
            var who = await sweep.PrincipalOfAsync(user);
            IReadOnlyList<RoleBinding> mine;
            await using (var work = sweep.Services.GetRequiredService<Portal.Core.Actions.IUnitOfWorkFactory>().Begin())
            {
                mine = await work.Bindings.ForSubjectsAsync(who.UserName, who.Groups, CancellationToken.None);
            }

            foreach (var tier in EnvironmentTiers.All)
            {
                var environment = (await environments.FindAsync(SweepFixture.Seeded(tier), CancellationToken.None))!;
                foreach (var permission in Permissions.All)
                {
                    AccessDecider.Decide(who, permission, environment.Ref, mine, now).Allowed
                        .ShouldBe(SweepFixture.Allows(user, permission, tier), $"{user} {permission} on {tier}");
                    AccessDecider.Decide(who, permission, null, mine, now).Allowed
                        .ShouldBe(SweepFixture.Allows(user, permission, null), $"{user} {permission} organisation-wide");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Endpoint_AsCaller_AnswersAsTheRoleTableSays(string endpoint, string caller, string tier)
    {
        var rule = EndpointRules.All.Single(r => r.Key == endpoint);
        var (user, viaToken) = caller == "anonymous" ? (null, false) : (caller.Split(':')[1], caller.StartsWith("token:", StringComparison.Ordinal));
        EnvironmentTiers.TryParse(tier, out var target).ShouldBeTrue();
        var call = await rule.Arrange(sweep, new EndpointCase(user, viaToken, target));
        var before = user is null ? 0 : await sweep.AuditCountAsync(user);

        using var response = await SendAsync(rule, call, user, viaToken);
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var context = $"{rule.Method} {call.Path} as {caller}: {status} {Shorten(body)}";

        if (user is null)
        {
            AssertAnonymous(rule, response, status, context);
            return;
        }

        var (allowed, denial) = Expected(rule, user, viaToken, target);
        if (allowed)
        {
            new[] { 401, 403 }.ShouldNotContain(status, context);
            if (rule.Access is EndpointAccess.Page)
            {
                response.Headers.Location?.ToString().ShouldNotContain("/account/login", Case.Sensitive, context);
            }
        }
        else
        {
            status.ShouldBe(denial, context);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", context);
            if (denial == 403 && !viaToken)
            {
                // A person's refusal names the permission it lacked, for scripts as for the page (a token's scope
                // refusal comes from the token handler, before any permission is looked at).
                JsonDocument.Parse(body).RootElement.TryGetProperty("permission", out var named).ShouldBeTrue(context);
                named.GetString().ShouldBe(rule.Permission, context);
            }
        }

        if (rule.Changes)
        {
            // One record per attempt, allowed or not, whatever the outcome (validation and conflicts included).
            (await sweep.AuditCountAsync(user)).ShouldBe(before + 1, "exactly one audit record: " + context);
            var record = await sweep.LastAuditAsync(user);
            if (status is >= 200 and < 300)
            {
                record.Outcome.ShouldBe(AuditOutcome.Succeeded, context);
            }
            else if (status == 403)
            {
                record.Outcome.ShouldBe(AuditOutcome.Denied, context);
            }
        }
    }

    /// <summary>
    /// Allowed, or the status a denial answers: 403, or 404 where the endpoint hides what the caller may not see
    /// (reads, and actions on an environment the caller may not even read).
    /// </summary>
    private static (bool Allowed, int Denial) Expected(EndpointRule rule, string user, bool viaToken, EnvironmentTier tier)
    {
        var hidden = rule.Denial == Denial.Hide ? 404 : 403;
        return rule.Access switch
        {
            EndpointAccess.Page or EndpointAccess.SignedIn => (true, 0),
            EndpointAccess.OwnAccount => (!viaToken, 403),
            EndpointAccess.Organisation => (SweepFixture.Allows(user, rule.Permission!, null), hidden),
            EndpointAccess.Anywhere => (SweepFixture.AllowsAnywhere(user, rule.Permission!), hidden),
            _ => (SweepFixture.Allows(user, rule.Permission!, tier),
                rule.Permission == Permissions.EnvironmentsCreate || SweepFixture.Allows(user, Permissions.EnvironmentsRead, tier) ? hidden : 404),
        };
    }

    private static void AssertAnonymous(EndpointRule rule, HttpResponseMessage response, int status, string context)
    {
        switch (rule.Access)
        {
            case EndpointAccess.Public:
                status.ShouldBe(rule.PublicStatus, context);
                break;
            case EndpointAccess.Page:
                status.ShouldBe(302, context);
                response.Headers.Location!.ToString().ShouldContain("/account/login", Case.Sensitive, context);
                break;
            default:
                status.ShouldBe(401, context);
                response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", context);
                break;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(EndpointRule rule, EndpointCall call, string? user, bool viaToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(rule.Method), new Uri(call.Path, UriKind.Relative));
        if (call.Body is not null)
        {
            request.Content = JsonContent.Create(call.Body, call.Body.GetType(), options: new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }

        if (user is null)
        {
            using var anonymous = sweep.App.CreateAnonymousClient();
            return await anonymous.SendAsync(request);
        }

        if (viaToken)
        {
            using var bearer = sweep.App.CreateAnonymousClient();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sweep.Token(user));
            return await bearer.SendAsync(request);
        }

        return await sweep.Session(user).SendAsync(request);
    }

    private static string Key(RouteEndpoint e)
    {
        var methods = e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        return $"{(methods is null ? "*" : string.Join(",", methods))} {e.RoutePattern.RawText}";
    }

    private static string Shorten(string body) => body.Length > 300 ? body[..300] : body;
}
