using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Audit;
using Portal.Web.Hosting;

namespace Portal.Web.Tests.Hosting;

/// <summary>Sign-in limits per account and per address, and the bad-token limit on the API and /ingest.</summary>
public sealed class RateLimitsTests
{
    [Fact]
    public async Task SignIn_OverThePerAccountLimit_429WithRetryAfterForThatAccountOnly_AndRefusalsAreNotAudited()
    {
        using var app = new PortalAppFactory { Settings = { ["RateLimits:SignInPerAccount"] = "3", ["RateLimits:SignInPerAddress"] = "1000" } };
        using var client = app.CreateAnonymousClient();
        for (var i = 0; i < 3; i++)
        {
            (await SignedInClient.PostLoginAsync(client, "dev", $"wrong-{i}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }

        using var refused = await SignedInClient.PostLoginAsync(client, " DEV ", SignedInClient.DemoPassword);   // the same account
        using var other = await SignedInClient.PostLoginAsync(client, "viewer", SignedInClient.DemoPassword);

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldBe(TimeSpan.FromMinutes(5));
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Too many sign-in attempts");
        other.Headers.Location.ShouldNotBeNull().ToString().ShouldBe("/", "another account is not limited");
        var denied = await app.Services.GetRequiredService<IAuditReader>().QueryAsync(
            new AuditQuery { Action = "auth.sign-in", Outcome = AuditOutcome.Denied, Take = 50 }, null, true, CancellationToken.None);
        denied.Records.Count.ShouldBe(3, "the three wrong passwords are audited as before; the refused attempt never reached the check");
    }

    [Fact]
    public async Task SignIn_OverThePerAddressLimit_429EvenForAnotherAccountWithTheRightPassword()
    {
        using var app = new PortalAppFactory { Settings = { ["RateLimits:SignInPerAccount"] = "1000", ["RateLimits:SignInPerAddress"] = "3" } };
        using var client = app.CreateAnonymousClient();
        foreach (var user in new[] { "alice", "bob", "carol" })
        {
            (await SignedInClient.PostLoginAsync(client, user, "guess")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }

        using var refused = await SignedInClient.PostLoginAsync(client, "admin", SignedInClient.DemoPassword);

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        refused.Headers.Location.ShouldBeNull();
        (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "no session was made");
    }

    [Fact]
    public async Task Api_BadTokensOverTheLimit_429ProblemWithRetryAfter_ValidTokenNeitherCountsNorIsRefused()
    {
        using var app = new PortalAppFactory { Settings = { ["RateLimits:BadCredentialsPerAddress"] = "3" } };
        using var session = await app.SignInAsync("dev");
        using var created = await session.PostAsJsonAsync("/api/v1/me/tokens", new { name = "ci" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        using var valid = Bearer(app, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
        using var bad = Bearer(app, "ptl_not-a-real-token");
        for (var i = 0; i < 5; i++)
        {
            (await valid.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        for (var i = 0; i < 3; i++)
        {
            (await bad.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"bad call {i + 1}: valid calls used none of the three");
        }

        using var refused = await bad.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        using var stillValid = await valid.GetAsync(new Uri("/api/v1/me", UriKind.Relative));

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Content.Headers.ContentType.ShouldNotBeNull().MediaType.ShouldBe("application/problem+json");
        refused.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldBe(TimeSpan.FromMinutes(1));
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32().ShouldBe(429);
        stillValid.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ingest_BadTokensOverTheLimit_429WithRetryAfter_MissingTokenIsNotCounted()
    {
        using var app = new PortalAppFactory { Settings = { ["RateLimits:BadCredentialsPerAddress"] = "2" } };
        using var anonymous = app.CreateClient();
        using var bad = Bearer(app, "not-an-ingest-token");
        for (var i = 0; i < 4; i++)
        {
            (await anonymous.GetAsync(new Uri("/ingest/", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await bad.GetAsync(new Uri("/ingest/", UriKind.Relative));
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                response.Headers.RetryAfter.ShouldNotBeNull();
                (await response.Content.ReadAsStringAsync()).ShouldContain("es_rejected_execution_exception");
            }
        }

        answers.ShouldBe([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests]);
    }

    [Fact]
    public void Validate_BadValues_NameTheirKeys()
    {
        var limits = new RateLimitOptions { SignInPerAccount = 0, BadCredentialsWindow = TimeSpan.Zero };
        var security = new SecurityOptions { TrustedProxies = ["10.0.0.0/8", "not-an-address"] };

        var limitFailures = new RateLimitOptionsValidator().Validate(null, limits).Failures ?? [];
        var securityFailures = new SecurityOptionsValidator().Validate(null, security).Failures ?? [];

        limitFailures.Count().ShouldBe(2, string.Join(" | ", limitFailures));
        limitFailures.ShouldContain(f => f.StartsWith("RateLimits:SignInPerAccount: must be between 1", StringComparison.Ordinal));
        limitFailures.ShouldContain(f => f.StartsWith("RateLimits:BadCredentialsWindow: must be between", StringComparison.Ordinal));
        securityFailures.ShouldBe(["Security:TrustedProxies:1: 'not-an-address' is neither an IP address nor a network like 10.0.0.0/8."]);
        new RateLimitOptionsValidator().Validate(null, new RateLimitOptions()).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var defaults = new RateLimitOptions();

        (defaults.SignInPerAccount, defaults.SignInPerAddress, defaults.SignInWindow, defaults.BadCredentialsPerAddress, defaults.BadCredentialsWindow)
            .ShouldBe((10, 30, TimeSpan.FromMinutes(5), 60, TimeSpan.FromMinutes(1)));
    }

    private static HttpClient Bearer(PortalAppFactory app, string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
