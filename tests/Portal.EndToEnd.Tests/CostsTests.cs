using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// A manager in Chromium: the status overview lists every demo environment with its health and a cost (the sampling
/// host samples the sandbox from the start, every minute here), dev's costs show a chart stacked by the demo services,
/// and a figure opens the records it was computed from, pod by pod.
/// </summary>
[Collection(PortalCollection.Name)]
public partial class CostsTests(PortalServerFixture server) : BrowserTest(server)
{
    private static readonly string[] DemoEnvironments = ["dev", "test", "staging", "prod"];

    [Fact]
    public Task Manager_SeesStatusAndCostOfEveryEnvironment_ThenDevsServicesAndTheirPodRecords() =>
        WithPageAsync(nameof(Manager_SeesStatusAndCostOfEveryEnvironment_ThenDevsServicesAndTheirPodRecords), 1440, 1000, async page =>
    {
        await OpenAsync(page, "/status", user: "manager");

        // The first sample may precede the sandbox's pods; the next one comes within a minute. Read again until every
        // environment has a cost, as someone would.
        for (var attempt = 0; attempt < 30 && !await EveryEnvironmentHasACostAsync(page); attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            await OpenAsync(page, "/status", user: "manager");
        }

        foreach (var env in DemoEnvironments)
        {
            var row = page.Locator($"[data-testid='status-row'][data-environment='{env}']");
            await Expect(row).ToHaveAttributeAsync("data-health", new Regex("^(Healthy|Degraded|Down)$"));
            await Expect(row.Locator("[data-testid='status-health-badge']")).Not.ToBeEmptyAsync();
            await Expect(row.Locator("[data-testid='status-month-to-date'] a")).ToHaveTextAsync(new Regex(@"^\d[\d,.]* USD$"));
        }

        await page.Locator("[data-testid='status-row'][data-environment='dev'] [data-testid='status-month-to-date'] a").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/environments/dev/costs"));
        await Expect(page.Locator("[data-testid='cost-chart']")).ToBeVisibleAsync();
        foreach (var service in new[] { "payments-api", "checkout-web", "orders-worker" })
        {
            await Expect(page.Locator($"[data-testid='cost-chart-series'][data-key='{service}']")).ToBeVisibleAsync();
        }

        await Expect(page.Locator("[data-testid='cost-chart-column'] .cost-chart-part").First).ToBeAttachedAsync();
        await Expect(page.Locator("[data-testid='usage-note']")).ToContainTextAsync("metrics API");

        // Stack by resource from the form: the choice goes into the URL and the chart follows.
        await page.Locator("[data-testid='cost-stack']").SelectOptionAsync("Resource");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("stack=resource"));
        await Expect(page.Locator("[data-testid='cost-chart-series'][data-key='Cpu']")).ToBeVisibleAsync();

        await page.Locator("[data-testid='top-spender'] a").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/costs/explain\\?environment=dev"));
        var pod = page.Locator("[data-testid='explain-record'][data-subject='Pod']").First;
        await Expect(pod).ToBeVisibleAsync();
        await Expect(pod).ToHaveAttributeAsync("data-name", new Regex("^[a-z0-9-]+$"));
        await Expect(page.Locator("[data-testid='explain-total']")).ToHaveTextAsync(new Regex(@"\d"));
    });

    private static async Task<bool> EveryEnvironmentHasACostAsync(IPage page)
    {
        foreach (var env in DemoEnvironments)
        {
            var cost = page.Locator($"[data-testid='status-row'][data-environment='{env}'] [data-testid='status-month-to-date'] a");
            if (await cost.CountAsync() == 0 || (await cost.TextContentAsync())?.StartsWith("0.00 ", StringComparison.Ordinal) != false)
            {
                return false;
            }
        }

        return true;
    }
}
