using System.Net;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>The Content-Security-Policy in force in real Chromium: pages, charts, dialogs, dropdowns and the circuit work, and nothing is blocked.</summary>
[Collection(PortalCollection.Name)]
public class SecurityHeadersTests(PortalServerFixture server) : BrowserTest(server)
{
    [Fact]
    public Task CspInForce_PagesDialogsDropdownsAndDarkMode_NoViolation() => WithPageAsync(nameof(CspInForce_PagesDialogsDropdownsAndDarkMode_NoViolation), 1280, 800, async page =>
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        // Reported by the page itself as well, in case a violation does not reach the console.
        await page.AddInitScriptAsync("""
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
            """);

        await OpenAsync(page, "/");
        var response = await page.ReloadAsync();
        (await response!.HeaderValueAsync("content-security-policy")).ShouldNotBeNull().ShouldContain("script-src 'self' 'nonce-");
        await page.Locator(".portal-shell[data-interactive='true']").WaitForAsync();
        await AssertNoViolationAsync(page, violations, "overview");

        // A dropdown (Radzen popup) and the circuit: choosing an environment changes the page.
        await page.Locator(".environment-dropdown").ClickAsync();
        await page.Locator(".rz-dropdown-item .environment-option[data-env='staging']").ClickAsync();
        await page.Locator("[data-testid='overview-environment']", new() { HasText = "Staging" }).WaitForAsync();

        // Dark mode: Radzen swaps the theme stylesheet and writes its cookie from script.
        await page.Locator("[data-testid='theme-toggle'] button").ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('link#radzen-theme-link').href.includes('dark')");
        var theme = (await page.Context.CookiesAsync()).Single(c => c.Name == "portal-theme");
        theme.SameSite.ShouldBe(SameSiteAttribute.Lax);
        (await page.Context.CookiesAsync()).Single(c => c.Name == "portal-session").HttpOnly.ShouldBeTrue();

        // Workloads, and a Radzen dialog.
        await OpenAsync(page, "/environments/dev/workloads");
        await page.Locator("[data-testid='pod-row'] a").First.ClickAsync();
        await page.Locator("[data-testid='page-pod']").WaitForAsync();
        await page.Locator("[data-testid='pod-restart']").ClickAsync();
        await page.Locator(".rz-dialog").WaitForAsync();
        await page.Locator(".rz-dialog button", new() { HasText = "Cancel" }).ClickAsync();
        await Expect(page.Locator(".rz-dialog")).ToHaveCountAsync(0);

        // Logs with its histogram chart and its JavaScript module (loaded through the import map).
        await OpenAsync(page, "/logs?env=dev");
        await page.Locator("[data-testid='histogram-bar']").First.WaitForAsync(new() { Timeout = 60_000 });
        await page.Locator("[data-testid='query-input']").FillAsync("level:error");
        await page.Locator("[data-testid='query-input']").PressAsync("Enter");
        await page.Locator("[data-testid='histogram-bar']").First.WaitForAsync();

        await AssertNoViolationAsync(page, violations, "after all pages");
    });

    [Fact]
    public async Task RealKestrel_NoServerHeader_SecurityHeadersOnStaticFiles()
    {
        using var http = new HttpClient { BaseAddress = new Uri(Server.BaseUrl) };

        using var response = await http.GetAsync(new Uri("/app.css", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Server.ShouldBeEmpty();
        response.Headers.Contains("X-Powered-By").ShouldBeFalse();
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");
    }

    private static async Task AssertNoViolationAsync(IPage page, List<string> console, string where)
    {
        var reported = await page.EvaluateAsync<string[]>("() => window.__cspViolations");
        console.Concat(reported).ShouldBeEmpty($"CSP violations ({where})");
    }
}
