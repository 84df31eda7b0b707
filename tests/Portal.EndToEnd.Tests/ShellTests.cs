using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

[Collection(PortalCollection.Name)]
public class ShellTests(PortalServerFixture server) : BrowserTest(server)
{
    [Fact]
    public Task ThemeToggle_SwitchesToDarkAndRemembersIt() => WithPageAsync(nameof(ThemeToggle_SwitchesToDarkAndRemembersIt), 1280, 800, async page =>
    {
        await OpenAsync(page, "/");
        var theme = page.Locator("link#radzen-theme-link");
        (await theme.GetAttributeAsync("href")).ShouldNotBeNull().ShouldNotContain("dark");
        var lightBackground = await BodyBackgroundAsync(page);

        await page.Locator("[data-testid='theme-toggle'] button").ClickAsync();

        await page.WaitForFunctionAsync("() => document.querySelector('link#radzen-theme-link').href.includes('dark')");
        await page.WaitForFunctionAsync($"() => getComputedStyle(document.body).backgroundColor !== '{lightBackground}'");
        await page.ReloadAsync();
        (await page.Locator("link#radzen-theme-link").GetAttributeAsync("href")).ShouldNotBeNull().ShouldContain("dark");
    });

    [Fact]
    public Task EnvironmentSwitcher_ChoosingProduction_UpdatesUrlPageAndLinks() => WithPageAsync(nameof(EnvironmentSwitcher_ChoosingProduction_UpdatesUrlPageAndLinks), 1280, 800, async page =>
    {
        await OpenAsync(page, "/");
        (await page.Locator("[data-testid='overview-environment']").TextContentAsync()).ShouldBe("Development");

        await page.Locator(".environment-dropdown").ClickAsync();
        await page.Locator(".rz-dropdown-item .environment-option[data-env='prod']").ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("env=prod", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await page.Locator("[data-testid='overview-environment']", new() { HasText = "Production" }).WaitForAsync();
        (await page.Locator("[data-testid='environment-tier']").TextContentAsync()).ShouldNotBeNull().Trim().ShouldBe("prod");
        (await page.Locator("[data-testid='nav-logs'] a").First.GetAttributeAsync("href")).ShouldBe("logs?env=prod");
    });

    [Fact]
    public Task SharedUrl_OpensInThatEnvironment() => WithPageAsync(nameof(SharedUrl_OpensInThatEnvironment), 1280, 800, async page =>
    {
        await OpenAsync(page, "/?env=staging");

        await page.Locator("[data-testid='page-overview']").WaitForAsync();
        (await page.Locator("[data-testid='overview-environment']").TextContentAsync()).ShouldBe("Staging");
    });

    [Fact]
    public Task Navigation_ClickingAnEntry_ShowsThatPageWithoutReload() => WithPageAsync(nameof(Navigation_ClickingAnEntry_ShowsThatPageWithoutReload), 1280, 800, async page =>
    {
        await OpenAsync(page, "/?env=test");
        await page.EvaluateAsync("() => window.__sameDocument = true");

        await page.Locator("[data-testid='nav-logs'] a").First.ClickAsync();

        await page.Locator("[data-testid='page-logs']").WaitForAsync();
        page.Url.ShouldEndWith("/logs?env=test");
        (await page.EvaluateAsync<bool>("() => window.__sameDocument === true")).ShouldBeTrue("navigation stays inside the circuit");
    });

    [Fact]
    public Task Desktop1280_SidebarVisibleNoHorizontalScroll() => WithPageAsync(nameof(Desktop1280_SidebarVisibleNoHorizontalScroll), 1280, 800, async page =>
    {
        await OpenAsync(page, "/");

        (await page.Locator("[data-testid='nav-alarms']").IsVisibleAsync()).ShouldBeTrue();
        (await HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0);
    });

    [Fact]
    public Task Phone390_NavigationOpensFromToggleNoHorizontalScroll() => WithPageAsync(nameof(Phone390_NavigationOpensFromToggleNoHorizontalScroll), 390, 844, async page =>
    {
        await OpenAsync(page, "/");
        (await HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0);
        (await page.Locator(".environment-dropdown").IsVisibleAsync()).ShouldBeTrue("the switcher stays reachable on a phone");
        var wasVisible = await page.Locator("[data-testid='nav-audit']").IsVisibleAsync();

        await page.Locator("[data-testid='sidebar-toggle']").ClickAsync();

        await page.WaitForFunctionAsync(
            $"() => {{ const e = document.querySelector(\"[data-testid='nav-audit']\"); const r = e.getBoundingClientRect(); return (r.width > 0 && r.right > 0 && r.left < window.innerWidth) !== {(wasVisible ? "true" : "false")}; }}");
        if (!wasVisible)
        {
            await page.Locator("[data-testid='nav-audit'] a").First.ClickAsync();
            await page.Locator("[data-testid='page-audit']").WaitForAsync();
        }
    });

    private static Task<string> BodyBackgroundAsync(IPage page) => page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
}
