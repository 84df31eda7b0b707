using System.Net;
using AngleSharp.Html.Parser;

namespace Portal.Web.Tests.Hosting;

/// <summary>The server-rendered first response of the shell, as a browser receives it before the circuit starts.</summary>
public sealed class ShellRenderingTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>, IAsyncLifetime
{
    private HttpClient _client = default!;

    public async Task InitializeAsync() => _client = await factory.SignInAsync("admin");

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Get_Anonymous_RedirectsToSignIn()
    {
        using var anonymous = factory.CreateAnonymousClient();

        var response = await anonymous.GetAsync(new Uri("/environments", UriKind.Relative));

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect);
        response.Headers.Location.ShouldNotBeNull().PathAndQuery.ShouldBe("/account/login?ReturnUrl=%2Fenvironments");
    }

    [Theory]
    [InlineData("/", "page-overview")]
    [InlineData("/environments", "page-environments")]
    [InlineData("/profile", "page-profile")]
    [InlineData("/audit", "page-audit")]
    [InlineData("/logs?env=prod", "page-logs")]
    public async Task Get_Page_RendersShellAroundIt(string path, string pageTestId)
    {
        var html = await _client.GetStringAsync(new Uri(path, UriKind.Relative));

        var doc = new HtmlParser().ParseDocument(html);
        doc.QuerySelector($"[data-testid='{pageTestId}']").ShouldNotBeNull();
        doc.QuerySelectorAll("[data-testid^='nav-']").Length.ShouldBe(14, "one entry per registered feature");
        doc.QuerySelector("[data-testid='environment-switcher']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='theme-toggle']").ShouldNotBeNull();
        doc.QuerySelector("script[src='_framework/blazor.web.js']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Get_Audit_ListsRecordsOnFirstRender()
    {
        var html = await _client.GetStringAsync(new Uri("/audit", UriKind.Relative));

        var rows = new HtmlParser().ParseDocument(html).QuerySelectorAll("[data-testid='audit-grid'] tbody tr");
        rows.ShouldNotBeEmpty();
        rows.Select(r => r.TextContent).ShouldContain(t => t.Contains("auth.sign-in", StringComparison.Ordinal), "the admin's own sign-in is on record");
    }

    [Fact]
    public async Task Get_EnvInQuery_PrerendersThatEnvironment()
    {
        var html = await _client.GetStringAsync(new Uri("/?env=prod", UriKind.Relative));

        new HtmlParser().ParseDocument(html).QuerySelector("[data-testid='overview-environment']").ShouldNotBeNull().TextContent.ShouldBe("Production");
    }

    [Fact]
    public async Task Get_ThemeCookie_RendersThatThemeFirst()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", "portal-theme=material-dark");

        var html = await (await _client.SendAsync(request)).Content.ReadAsStringAsync();

        html.ShouldContain("css/material-dark-base.css");
    }

    [Fact]
    public async Task Get_BlazorScript_ServesJavaScript()
    {
        var response = await _client.GetAsync(new Uri("/_framework/blazor.web.js", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/javascript");
        (await response.Content.ReadAsStringAsync()).ShouldContain("Blazor");
    }

    [Fact]
    public async Task Get_UnknownPath_Returns404WithNotFoundPage()
    {
        var response = await _client.GetAsync(new Uri("/no/such/page", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Page not found");
    }
}
