using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Admin;

public sealed class AdminTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task AdminPage_PortalAdmin_SeesOrganisationBindingsAndPeople()
    {
        using var admin = await factory.SignInAsync("admin");

        var doc = new HtmlParser().ParseDocument(await admin.GetStringAsync(new Uri("/admin", UriKind.Relative)));

        doc.QuerySelector("[data-testid='org-bindings']").ShouldNotBeNull().TextContent.ShouldContain("platform-admins");
        doc.QuerySelector("[data-testid='people']").ShouldNotBeNull().QuerySelectorAll("a").Select(a => a.GetAttribute("href"))
            .ShouldContain("profile?user=oncall");
    }

    [Fact]
    public async Task AdminPage_Developer_ToldWhatIsNeeded()
    {
        using var dev = await factory.SignInAsync("dev");

        var doc = new HtmlParser().ParseDocument(await dev.GetStringAsync(new Uri("/admin", UriKind.Relative)));

        doc.QuerySelector("[data-testid='admin-denied']").ShouldNotBeNull().TextContent.ShouldContain("You need PortalAdmin");
        doc.QuerySelector("[data-testid='org-bindings']").ShouldBeNull();
    }

    [Fact]
    public async Task OrganisationBindingsApi_AdminListsThemDeveloperForbidden()
    {
        using var admin = await factory.SignInAsync("admin");
        using var dev = await factory.SignInAsync("dev");

        var bindings = await admin.GetFromJsonAsync<JsonElement>("/api/v1/access");

        bindings.EnumerateArray().ShouldContain(b => b.GetProperty("role").GetString() == "PortalAdmin" && b.GetProperty("scope").GetString() == "all");
        bindings.EnumerateArray().ShouldNotContain(b => b.GetProperty("scope").GetString()!.StartsWith("env:", StringComparison.Ordinal));
        (await dev.GetAsync(new Uri("/api/v1/access", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task UserAccess_AdminMayLookDeveloperOnlyAtThemselves()
    {
        using var admin = await factory.SignInAsync("admin");
        using var dev = await factory.SignInAsync("dev");

        var devAccess = await admin.GetFromJsonAsync<JsonElement>("/api/v1/users/dev/access");

        devAccess.EnumerateArray().Select(e => e.GetProperty("environment").GetString()).ShouldBe(["dev", "test", "staging"], ignoreOrder: true);
        (await dev.GetAsync(new Uri("/api/v1/users/admin/access", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await dev.GetAsync(new Uri("/api/v1/users/dev/access", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
