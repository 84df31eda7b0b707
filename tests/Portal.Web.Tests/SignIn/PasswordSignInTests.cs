using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Audit;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.SignIn;

public sealed class PasswordSignInTests
{
    [Fact]
    public async Task RightPassword_RedirectsBackSignedInAndAudits()
    {
        using var app = new PortalAppFactory();
        using var client = app.CreateAnonymousClient();

        var response = await SignedInClient.PostLoginAsync(client, "dev", SignedInClient.DemoPassword, "/environments");

        response.Headers.Location.ShouldNotBeNull().ToString().ShouldBe("/environments");
        (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await LastSignInAsync(app)).Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task WrongPassword_BackToSignInWithMessageAndDeniedRecord()
    {
        using var app = new PortalAppFactory();
        using var client = app.CreateAnonymousClient();

        var response = await SignedInClient.PostLoginAsync(client, "dev", "nope");

        response.Headers.Location.ShouldNotBeNull().ToString().ShouldContain("error=invalid");
        (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var record = await LastSignInAsync(app);
        (record.Actor, record.Outcome).ShouldBe(("dev", AuditOutcome.Denied));
        record.Parameters.ShouldNotContain("nope", customMessage: "the tried password is never recorded");
    }

    [Fact]
    public async Task UnknownUser_RecordedWithoutWhatWasTyped()
    {
        using var app = new PortalAppFactory();
        using var client = app.CreateAnonymousClient();

        var response = await SignedInClient.PostLoginAsync(client, "my-secret-password-in-the-wrong-field", "x");

        response.Headers.Location.ShouldNotBeNull().ToString().ShouldNotContain("my-secret");
        var record = await LastSignInAsync(app);
        (record.Actor, record.Target).ShouldBe(("(unknown user)", "(unknown user)"));
    }

    [Fact]
    public async Task FiveFailures_LockTheAccountEvenForTheRightPassword()
    {
        using var app = new PortalAppFactory();
        using var client = app.CreateAnonymousClient();
        for (var i = 0; i < 5; i++)
        {
            await SignedInClient.PostLoginAsync(client, "viewer", $"wrong-{i}");
        }

        var response = await SignedInClient.PostLoginAsync(client, "viewer", SignedInClient.DemoPassword);

        response.Headers.Location.ShouldNotBeNull().ToString().ShouldContain("error=locked");
        (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var page = await client.GetStringAsync(response.Headers.Location);
        page.ShouldContain("locked");
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("/\t/evil.example/")]
    [InlineData("/ /evil.example/")]
    public async Task ReturnUrlOffSite_GoesHomeInstead(string returnUrl)
    {
        using var app = new PortalAppFactory();
        using var client = app.CreateAnonymousClient();

        var response = await SignedInClient.PostLoginAsync(client, "dev", SignedInClient.DemoPassword, returnUrl);

        response.Headers.Location.ShouldNotBeNull().ToString().ShouldBe("/");
    }

    [Fact]
    public async Task FormWithoutAntiforgeryToken_Refused()
    {
        using var app = new PortalAppFactory();
        using var client = app.CreateAnonymousClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "dev", ["Password"] = SignedInClient.DemoPassword });

        var response = await client.PostAsync(new Uri("/account/sign-in", UriKind.Relative), form);

        response.Headers.Location.ShouldNotBeNull().ToString().ShouldBe("/account/login?error=expired");
        (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task UserDisabledAfterSignIn_TheCookieStopsWorking()
    {
        using var app = new PortalAppFactory();
        using var client = await app.SignInAsync("viewer");
        await using (var db = await app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Portal.Infrastructure.Persistence.PortalDbContext>>().CreateDbContextAsync())
        {
            var user = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users, u => u.UserName == "viewer");
            user.Disabled = true;
            await db.SaveChangesAsync();
        }

        (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        using var app = new PortalAppFactory();
        using var client = await app.SignInAsync("dev");
        var page = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        var response = await client.PostAsync(new Uri("/account/logout", UriKind.Relative), form);

        response.Headers.Location.ShouldNotBeNull().ToString().ShouldContain("signedOut=1");
        (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private static async Task<AuditRecord> LastSignInAsync(PortalAppFactory app) =>
        (await app.Services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery { Action = "auth.sign-in", Take = 1 }, null, true, CancellationToken.None)).Records[0];
}
