using System.Net.Http.Headers;
using Microsoft.Playwright;
using Portal.Testing;

namespace Portal.EndToEnd.Tests;

/// <summary>Gives each test a fresh browser context, and keeps a screenshot under artifacts/ when a test fails.</summary>
public abstract class BrowserTest(PortalServerFixture server)
{
    protected PortalServerFixture Server { get; } = server;

    protected async Task WithPageAsync(string name, int width, int height, Func<IPage, Task> test)
    {
        await using var context = await Server.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        try
        {
            await test(page);
        }
        catch
        {
            Directory.CreateDirectory(PortalServerFixture.ArtifactsDirectory);
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(PortalServerFixture.ArtifactsDirectory, $"{name}.png"),
                FullPage = true,
            });
            throw;
        }
    }

    /// <summary>
    /// Opens a page as a user: the sign-in page comes first (as for anyone arriving without a session), then the
    /// page, once the Blazor circuit has connected and rendered interactively.
    /// </summary>
    protected static async Task OpenAsync(IPage page, string path, string user = "admin")
    {
        await page.GotoAsync(path);
        if (page.Url.Contains("/account/login", StringComparison.Ordinal))
        {
            await SignInAsync(page, user);
        }

        await page.Locator(".portal-shell[data-interactive='true']").WaitForAsync();
    }

    protected static async Task SignInAsync(IPage page, string user, string password = "portal-demo")
    {
        await page.Locator("#username").FillAsync(user);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#password").PressAsync("Enter");
    }

    /// <summary>An API client with a fresh personal access token of <paramref name="user"/>, made by the CLI.</summary>
    protected static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    protected static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    protected async Task<HttpClient> TokenClientAsync(string user)
    {
        var result = await PortalProcess.RunAsync(["tokens", "create", "--user", user, "--name", "e2e", "--expires", "1d"], Server.Environment);
        result.ExitCode.ShouldBe(0, result.Stderr);
        var token = result.Stdout.Trim().Split('\n')[^1].Trim();
        var client = new HttpClient { BaseAddress = new Uri(Server.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected static async Task<int> HorizontalOverflowAsync(IPage page) =>
        await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
}
