using Portal.Core.Environments;
using Portal.Web.Components.Layout;

namespace Portal.Web.Tests.Components.Layout;

public class NavMenuTests
{
    [Fact]
    public async Task Render_RegisteredFeatures_ListsThemInOrder()
    {
        var context = new ComponentTestContext();

        var doc = await context.RenderAsync<NavMenu>();

        var items = doc.QuerySelectorAll("[data-testid^='nav-']").Select(e => e.GetAttribute("data-testid")).ToList();
        items.ShouldBe(["nav-environments", "nav-deployments", "nav-logs"]);
        doc.QuerySelector("nav[aria-label='Main']").ShouldNotBeNull().TextContent.ShouldContain("Deployments");
    }

    [Fact]
    public async Task Render_NoEnvironmentChosen_LinksToBareRoutes()
    {
        var doc = await new ComponentTestContext().RenderAsync<NavMenu>();

        var hrefs = doc.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        hrefs.ShouldContain("environments");
        hrefs.ShouldContain("logs");
    }

    [Fact]
    public async Task Render_WithSwitcher_LinksKeepTheChosenEnvironment()
    {
        // The switcher and the menu share the circuit's EnvironmentContext, as they do in the layout.
        var context = new ComponentTestContext { Uri = "http://portal.test/logs?env=prod" };

        var doc = await context.RenderAsync<NavWithSwitcher>();

        doc.QuerySelectorAll("nav a").Select(a => a.GetAttribute("href")).ShouldContain("deployments?env=prod");
    }
}
