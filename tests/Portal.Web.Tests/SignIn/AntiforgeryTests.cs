using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Audit;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.SignIn;

/// <summary>Every form post without a valid antiforgery token is refused and changes nothing.</summary>
public sealed class AntiforgeryTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task SignIn_WithoutToken_SendsBackToTheFormAndMakesNoSession()
    {
        using var client = factory.CreateAnonymousClient();
        await client.GetAsync(new Uri("/account/login", UriKind.Relative));   // the antiforgery cookie, but no field
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "dev", ["Password"] = SignedInClient.DemoPassword });

        using var response = await client.PostAsync(new Uri("/account/sign-in", UriKind.Relative), form);

        // An expired form deserves a message rather than a bare 400: the endpoint answers the refusal itself.
        response.Headers.Location.ShouldNotBeNull().ToString().ShouldContain("error=expired");
        (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignOut_WithoutToken_400AndStillSignedIn()
    {
        using var client = await factory.SignInAsync("dev");

        using var response = await client.PostAsync(new Uri("/account/logout", UriKind.Relative), new FormUrlEncodedContent([]));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RazorFormHandler_WithoutToken_400AndNothingCreated()
    {
        using var client = await factory.SignInAsync("admin");
        var name = $"csrf{Guid.NewGuid():N}"[..12];
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "new-environment", ["Model.Name"] = name, ["Model.DisplayName"] = name, ["Model.Tier"] = "dev",
        });

        using var response = await client.PostAsync(new Uri("/environments/new", UriKind.Relative), form);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.GetAsync(new Uri($"/api/v1/environments/{name}", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var audit = await factory.Services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery { Actor = "admin", Take = 50 }, null, true, CancellationToken.None);
        audit.Records.ShouldNotContain(r => r.Target == name);
    }

    [Fact]
    public async Task Api_CookieCallWithAFormBody_415AndNothingCreated()
    {
        using var client = await factory.SignInAsync("dev");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "from-a-form" });

        using var response = await client.PostAsync(new Uri("/api/v1/me/tokens", UriKind.Relative), form);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        var tokens = await client.GetFromJsonAsync<JsonElement>("/api/v1/me/tokens");
        tokens.EnumerateArray().ShouldNotContain(t => t.GetProperty("name").GetString() == "from-a-form");
    }
}
