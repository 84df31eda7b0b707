using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Actions;
using Portal.Core.Audit;
using Portal.Core.Environments;
using Portal.Core.Tokens;
using Portal.Testing;
using Portal.Web.Tests.Hosting;
using static Portal.Core.Authorization.Permissions;

namespace Portal.Web.Tests.Authorization;

/// <summary>
/// Access tokens against every API endpoint: a personal token scoped to environments acts there as its user may and
/// nowhere else (other environments are hidden, organisation-wide and catalog actions refused, lists narrowed);
/// an ingest token is no API credential; a revoked or expired token authenticates nobody.
/// </summary>
[Collection(SweepCollection.Name)]
public sealed class TokenScopeTests(SweepFixture sweep)
{
    private static readonly string[] ScopedUsers = ["admin", "oncall"];

    private static IEnumerable<EndpointRule> ApiRules => EndpointRules.All.Where(r => r.Pattern.StartsWith("/api/v1/", StringComparison.Ordinal));

    public static TheoryData<string, string, bool> ScopedCases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var rule in ApiRules.Where(r => r.Access != EndpointAccess.SignedIn))
        {
            foreach (var user in ScopedUsers)
            {
                data.Add(rule.Key, user, false);

                // A token is scoped to existing environments, so it is never in scope for the one a create names.
                if (rule.Access == EndpointAccess.Environment && rule.Permission != EnvironmentsCreate)
                {
                    data.Add(rule.Key, user, true);
                }
            }
        }

        return data;
    }

    public static TheoryData<string> ApiCases()
    {
        var data = new TheoryData<string>();
        foreach (var rule in ApiRules)
        {
            data.Add(rule.Key);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ScopedCases))]
    public async Task ScopedToken_ActsOnlyInItsEnvironments(string endpoint, string user, bool inScope)
    {
        var rule = EndpointRules.All.Single(r => r.Key == endpoint);
        sweep.LastFresh = null;
        var call = await rule.Arrange(sweep, new EndpointCase(user, true, EnvironmentTier.Dev));
        var target = sweep.LastFresh ?? SweepFixture.Seeded(EnvironmentTier.Dev);

        // In scope: the target (and test, where a promotion reads from). Out of scope: staging, which the user may also act on.
        var token = (await sweep.CreateTokenAsync(user, inScope ? [target, "test"] : ["staging"])).Value;
        var before = await sweep.AuditCountAsync(user);

        using var response = await SendAsync(rule, call, token);
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var context = $"{rule.Method} {call.Path} with {user}'s token scoped {(inScope ? "to it" : "elsewhere")}: {status} {body[..Math.Min(body.Length, 300)]}";

        // Searching logs across environments narrows to those in scope (staging, when out of scope here), so it is allowed
        // wherever the user may read logs there; catalog and saved-search changes are refused to any scoped token.
        var allowed = rule.Access == EndpointAccess.Anywhere && !rule.Changes
            ? SweepFixture.Allows(user, rule.Permission!, inScope ? EnvironmentTier.Dev : EnvironmentTier.Staging)
            : inScope && SweepFixture.Allows(user, rule.Permission!, EnvironmentTier.Dev);
        if (allowed)
        {
            new[] { 401, 403 }.ShouldNotContain(status, context);
        }
        else
        {
            // An environment outside the scope is one the token cannot see: not found, as for anyone who may not read it.
            var denial = rule.Access == EndpointAccess.Environment && !inScope && rule.Permission != EnvironmentsCreate ? 404
                : rule.Denial == Denial.Hide ? 404 : 403;
            status.ShouldBe(denial, context);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", context);
        }

        if (rule.Changes)
        {
            (await sweep.AuditCountAsync(user)).ShouldBe(before + 1, "exactly one audit record: " + context);
            var outcome = (await sweep.LastAuditAsync(user)).Outcome;
            if (allowed)
            {
                outcome.ShouldNotBe(AuditOutcome.Denied, context);
            }
            else
            {
                // Denied, or (where the refusal hides an environment the token cannot see) failed as not found.
                outcome.ShouldBeOneOf(AuditOutcome.Denied, AuditOutcome.Failed);
            }
        }
    }

    [Fact]
    public async Task ScopedToken_ListsOnlyItsEnvironments()
    {
        var token = (await sweep.CreateTokenAsync("oncall", ["dev"])).Value;
        using var client = Bearer(token);

        var environments = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/environments/", UriKind.Relative));
        environments.EnumerateArray().Select(e => e.GetProperty("name").GetString()).ShouldBe(["dev"]);

        var alarms = await client.GetStringAsync(new Uri("/api/v1/alarms/", UriKind.Relative));
        alarms.ShouldContain(SweepFixture.AlarmName(EnvironmentTier.Dev));
        alarms.ShouldNotContain(SweepFixture.AlarmName(EnvironmentTier.Prod));

        // The same user signed in sees every environment: the narrowing is the token's.
        var all = await sweep.Session("oncall").GetFromJsonAsync<JsonElement>(new Uri("/api/v1/environments/", UriKind.Relative));
        all.EnumerateArray().Select(e => e.GetProperty("name").GetString()).ShouldContain("prod");
    }

    [Theory]
    [MemberData(nameof(ApiCases))]
    public async Task IngestToken_IsNoApiCredential(string endpoint)
    {
        var rule = EndpointRules.All.Single(r => r.Key == endpoint);
        var call = await rule.Arrange(sweep, new EndpointCase("admin", true, EnvironmentTier.Dev));

        using var response = await SendAsync(rule, call, await IngestTokenAsync());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{rule.Method} {call.Path}");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task Ingest_TakesIngestTokensOnly()
    {
        var line = $"{{\"index\":{{}}}}\n{{\"@timestamp\":\"{DateTimeOffset.UtcNow:O}\",\"message\":\"swept\",\"kubernetes\":{{\"namespace_name\":\"dev\"}}}}\n";
        async Task<HttpStatusCode> BulkAsync(string token)
        {
            using var client = Bearer(token);
            using var content = new StringContent(line, Encoding.UTF8, "application/x-ndjson");
            using var response = await client.PostAsync(new Uri("/ingest/_bulk", UriKind.Relative), content);
            return response.StatusCode;
        }

        (await BulkAsync(sweep.Token("admin"))).ShouldBe(HttpStatusCode.Unauthorized, "a personal token is no ingest token");
        (await BulkAsync(await IngestTokenAsync())).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RevokedToken_AuthenticatesNobody()
    {
        var created = await sweep.CreateTokenAsync("viewer", null);
        using var client = Bearer(created.Value);
        (await client.GetAsync(new Uri("/api/v1/me/", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var revoked = await sweep.Services.GetRequiredService<AccessTokenService>().RevokeAsync(await sweep.ActorAsync("viewer"), created.Token.Id, CancellationToken.None);
        revoked.Succeeded.ShouldBeTrue();

        using var response = await client.GetAsync(new Uri("/api/v1/me/", UriKind.Relative));
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task ExpiredToken_AuthenticatesNobody()
    {
        var clock = new FakeClock(DateTimeOffset.UtcNow);
        using var app = new PortalAppFactory { Clock = clock };
        var user = (await app.Services.GetRequiredService<Portal.Core.Identity.IUserDirectory>().FindAsync("viewer", CancellationToken.None))!;
        var actor = new ActorContext(new(user.UserName, user.DisplayName, user.Groups), "ui", null, "expiry");
        var created = ((ActionResult<CreatedToken>.Ok)await app.Services.GetRequiredService<AccessTokenService>()
            .CreateAsync(actor, new CreateTokenRequest { Name = "short", ExpiresInDays = 1 }, CancellationToken.None)).Value;
        using var client = app.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Value);
        (await client.GetAsync(new Uri("/api/v1/me/", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        using var response = await client.GetAsync(new Uri("/api/v1/me/", UriKind.Relative));
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    private async Task<string> IngestTokenAsync() =>
        sweep.IngestToken ??= ((ActionResult<CreatedToken>.Ok)await sweep.Services.GetRequiredService<AccessTokenService>()
            .CreateIngestAsync(await sweep.ActorAsync("admin"), "sweep-shipper", 30, CancellationToken.None)).Value.Value;

    private HttpClient Bearer(string token)
    {
        var client = sweep.App.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<HttpResponseMessage> SendAsync(EndpointRule rule, EndpointCall call, string token)
    {
        using var client = Bearer(token);
        using var request = new HttpRequestMessage(new HttpMethod(rule.Method), new Uri(call.Path, UriKind.Relative));
        if (call.Body is not null)
        {
            request.Content = JsonContent.Create(call.Body, call.Body.GetType(), options: new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }

        return await client.SendAsync(request);
    }
}
