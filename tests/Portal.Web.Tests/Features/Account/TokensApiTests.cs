using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Persistence;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Account;

public sealed class TokensApiTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task Create_ShownOnceStoredHashedAndUsableAsBearer()
    {
        using var admin = await factory.SignInAsync("admin");

        var created = await (await admin.PostAsJsonAsync("/api/v1/me/tokens", new { name = "ci", expiresInDays = 7 })).Content.ReadFromJsonAsync<JsonElement>();
        var value = created.GetProperty("token").GetString()!;

        value.ShouldStartWith("ptl_");
        (await admin.GetStringAsync(new Uri("/api/v1/me/tokens", UriKind.Relative))).ShouldNotContain(value);
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            (await db.AccessTokens.AnyAsync(t => t.Hash == value || t.Prefix == value)).ShouldBeFalse("only the hash is stored");
        }

        using var bearer = Bearer(value);
        var me = await bearer.GetFromJsonAsync<JsonElement>("/api/v1/me");
        me.GetProperty("userName").GetString().ShouldBe("admin");
        me.GetProperty("viaToken").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task ScopedToken_CannotTouchAnotherEnvironment()
    {
        using var admin = await factory.SignInAsync("admin");
        using var bearer = Bearer(await CreateAsync(admin, new { name = "dev-only", environments = new[] { "dev" } }));

        (await bearer.PatchAsJsonAsync("/api/v1/environments/dev", new { owningTeam = "via-token" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var prod = await bearer.PatchAsJsonAsync("/api/v1/environments/prod", new { owningTeam = "via-token" });

        prod.StatusCode.ShouldBe(HttpStatusCode.NotFound, "outside its scope the token cannot even see the environment");
        var denied = await factory.Services.GetRequiredService<Portal.Core.Audit.IAuditReader>().QueryAsync(
            new Portal.Core.Audit.AuditQuery { Environment = "prod", Outcome = Portal.Core.Audit.AuditOutcome.Denied, Take = 1 }, null, true, CancellationToken.None);
        denied.Records.ShouldHaveSingleItem().Reason.ShouldBe("This access token is not scoped to prod.");
        (await bearer.GetFromJsonAsync<JsonElement>("/api/v1/environments")).EnumerateArray().Select(e => e.GetProperty("name").GetString()).ShouldBe(["dev"]);
    }

    [Fact]
    public async Task Token_CannotMintTokens()
    {
        using var admin = await factory.SignInAsync("admin");
        using var bearer = Bearer(await CreateAsync(admin, new { name = "no-minting" }));

        (await bearer.PostAsJsonAsync("/api/v1/me/tokens", new { name = "child" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Revoked_401ProblemJson()
    {
        using var admin = await factory.SignInAsync("admin");
        var value = await CreateAsync(admin, new { name = "short-lived" });
        var id = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/me/tokens")).EnumerateArray().First(t => t.GetProperty("name").GetString() == "short-lived").GetProperty("id").GetString();
        using var bearer = Bearer(value);
        (await bearer.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await admin.DeleteAsync(new Uri($"/api/v1/me/tokens/{id}", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var after = await bearer.GetAsync(new Uri("/api/v1/me", UriKind.Relative));

        after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        after.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task Expired_401()
    {
        using var clocked = new PortalAppFactory { Clock = new Portal.Testing.FakeClock(DateTimeOffset.UtcNow) };
        using var admin = await clocked.SignInAsync("admin");
        using var bearer = Bearer(await CreateAsync(admin, new { name = "day", expiresInDays = 1 }), clocked);

        (await bearer.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);
        clocked.Clock!.Advance(TimeSpan.FromDays(1.01));

        (await bearer.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("ptl_made-up")]
    [InlineData("not-even-a-portal-token")]
    public async Task UnknownToken_401(string value)
    {
        using var bearer = Bearer(value);

        (await bearer.GetAsync(new Uri("/api/v1/environments", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Create_BadInput_NamesFields()
    {
        using var admin = await factory.SignInAsync("admin");

        using var response = await admin.PostAsJsonAsync("/api/v1/me/tokens", new { name = "", environments = new[] { "nope" }, expiresInDays = 400 });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("name", out _).ShouldBeTrue();
        errors.TryGetProperty("environments", out _).ShouldBeTrue();
        errors.TryGetProperty("expiresInDays", out _).ShouldBeTrue();
    }

    private static async Task<string> CreateAsync(HttpClient client, object request)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/me/tokens", request);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private HttpClient Bearer(string value, PortalAppFactory? app = null)
    {
        var client = (app ?? factory).CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", value);
        return client;
    }
}
