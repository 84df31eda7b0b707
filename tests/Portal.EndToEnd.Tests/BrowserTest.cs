using Microsoft.Playwright;

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

    /// <summary>Loads a page and waits until the Blazor circuit has connected and rendered interactively.</summary>
    protected static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.Locator(".portal-shell[data-interactive='true']").WaitForAsync();
    }

    protected static async Task<int> HorizontalOverflowAsync(IPage page) =>
        await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
}
