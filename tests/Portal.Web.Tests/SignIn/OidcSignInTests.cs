using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Audit;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.SignIn;

/// <summary>The OpenID Connect code flow with PKCE against a real (in-process, loopback) issuer, and every way it must refuse.</summary>
public sealed class OidcSignInTests : IAsyncLifetime
{
    private TestOidcIssuer _issuer = default!;
    private PortalAppFactory _app = default!;

    public async Task InitializeAsync()
    {
        _issuer = await TestOidcIssuer.StartAsync();
        _app = new PortalAppFactory();
        _app.Settings["SignIn:Mode"] = "Oidc";
        _app.Settings["SignIn:Oidc:Authority"] = _issuer.Url;
        _app.Settings["SignIn:Oidc:ClientId"] = TestOidcIssuer.ClientId;
        _app.Settings["SignIn:Oidc:RequireHttpsMetadata"] = "false";
        _app.Settings["SignIn:Oidc:GroupMappings:6a1f0c3e-sre-guid"] = "sre";
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task ValidSignIn_CreatesSessionWithMappedGroupsAndRecordsIt()
    {
        var (answer, portal) = await SignInThroughIssuerAsync();

        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        answer.Headers.Location.ShouldNotBeNull().ToString().ShouldBe("/profile");
        _issuer.AcceptedVerifiers.ShouldHaveSingleItem().Length.ShouldBeGreaterThanOrEqualTo(43, "a PKCE code_verifier was sent and matched");
        var me = await portal.GetFromJsonAsync<JsonElement>("/api/v1/me");
        me.GetProperty("userName").GetString().ShouldBe("erin@example.com");
        me.GetProperty("displayName").GetString().ShouldBe("Erin Example");
        me.GetProperty("groups").EnumerateArray().Select(g => g.GetString()).ShouldBe(["sre"], "mapped groups only: the mappings are an allow-list");
        me.GetProperty("access").EnumerateArray().ShouldNotBeEmpty("the sre group is Operator everywhere in the demo data");
        (await LastSignInAsync()).Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Theory]
    [InlineData(TestOidcIssuer.Behaviour.WrongSignature, "the ID token is not valid")]
    [InlineData(TestOidcIssuer.Behaviour.WrongAudience, "the ID token is not valid")]
    [InlineData(TestOidcIssuer.Behaviour.Expired, "the ID token is not valid")]
    [InlineData(TestOidcIssuer.Behaviour.ReplayedNonce, "nonce does not match")]
    public async Task BadIdToken_Refused_NoSession_Recorded(TestOidcIssuer.Behaviour behaviour, string reason)
    {
        if (behaviour == TestOidcIssuer.Behaviour.ReplayedNonce)
        {
            (await SignInThroughIssuerAsync()).Answer.Headers.Location.ShouldNotBeNull().ToString().ShouldBe("/profile");
        }

        _issuer.Mode = behaviour;
        var (answer, portal) = await SignInThroughIssuerAsync();

        answer.Headers.Location.ShouldNotBeNull().ToString().ShouldBe("/account/login?error=sso");
        (await portal.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var record = await LastSignInAsync();
        record.Outcome.ShouldBe(AuditOutcome.Denied);
        record.Reason.ShouldNotBeNull().ShouldContain(reason);
    }

    [Fact]
    public async Task IssuerUserNamedLikeALocalAccount_Refused()
    {
        _issuer.UserName = "admin";

        var (answer, portal) = await SignInThroughIssuerAsync();

        answer.Headers.Location.ShouldNotBeNull().ToString().ShouldBe("/account/login?error=sso");
        (await portal.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await LastSignInAsync()).Reason.ShouldNotBeNull().ShouldContain("a local account already has this user name");
    }

    [Fact]
    public async Task ReplayedCallback_Refused()
    {
        var portal = _app.CreateAnonymousClient();
        var callback = await CallbackUrlAsync(portal);
        (await portal.GetAsync(callback)).Headers.Location.ShouldNotBeNull().ToString().ShouldBe("/profile");
        using var attacker = _app.CreateAnonymousClient();

        var replay = await attacker.GetAsync(callback);

        replay.Headers.Location.ShouldNotBeNull().ToString().ShouldBe("/account/login?error=sso");
        (await attacker.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PasswordForm_NotOfferedInOidcMode()
    {
        using var client = _app.CreateAnonymousClient();

        var page = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));

        page.ShouldContain("data-testid=\"sso\"");
        page.ShouldNotContain("type=\"password\"");
        (await SignedInClient.PostLoginAsync(client, "dev", SignedInClient.DemoPassword)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task<(HttpResponseMessage Answer, HttpClient Portal)> SignInThroughIssuerAsync()
    {
        var portal = _app.CreateAnonymousClient();
        return (await portal.GetAsync(await CallbackUrlAsync(portal)), portal);
    }

    /// <summary>Plays the browser: portal challenge, then the issuer's authorize endpoint, up to the callback URL.</summary>
    private async Task<Uri> CallbackUrlAsync(HttpClient portal)
    {
        var challenge = await portal.GetAsync(new Uri("/account/sso?returnUrl=/profile", UriKind.Relative));
        challenge.StatusCode.ShouldBe(HttpStatusCode.Redirect, await challenge.Content.ReadAsStringAsync());
        var authorize = challenge.Headers.Location.ShouldNotBeNull();
        authorize.ToString().ShouldStartWith($"{_issuer.Url}/authorize?");
        authorize.Query.ShouldContain("nonce=");
        authorize.Query.ShouldContain("code_challenge_method=S256");

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var issued = await browser.GetAsync(authorize);
        issued.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return new Uri(issued.Headers.Location.ShouldNotBeNull().PathAndQuery, UriKind.Relative);
    }

    private async Task<AuditRecord> LastSignInAsync() =>
        (await _app.Services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery { Action = "auth.sign-in", Take = 1 }, null, true, CancellationToken.None)).Records[0];
}
