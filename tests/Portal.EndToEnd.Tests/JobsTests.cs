using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>Jobs in Chromium: a provisioning job appears and finishes in an open list without a reload, and its page shows its steps and log.</summary>
[Collection(PortalCollection.Name)]
public class JobsTests(PortalServerFixture server) : BrowserTest(server)
{
    [Fact]
    public Task JobsList_EnvironmentCreatedElsewhere_JobAppearsAndSucceedsWithoutReload() => WithPageAsync(nameof(JobsList_EnvironmentCreatedElsewhere_JobAppearsAndSucceedsWithoutReload), 1440, 1000, async page =>
    {
        var name = $"job-{Guid.NewGuid():N}"[..12];
        await OpenAsync(page, $"/jobs?environment={name}", user: "dev");
        await page.Locator("[data-testid='page-jobs']").WaitForAsync();
        await page.EvaluateAsync("() => window.__sameDocument = 42");

        using var dev = await TokenClientAsync("dev");
        (await dev.PostAsync(new Uri("/api/v1/environments", UriKind.Relative), Json(
            $$"""{"name":"{{name}}","displayName":"Jobs E2E","tier":"dev","owningTeam":"payments","costCentre":"cc-1"}"""))).EnsureSuccessStatusCode();

        var link = page.Locator("[data-testid='job-link']");
        await Expect(link).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-testid='job-row-state']")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
        (await page.EvaluateAsync<int>("() => window.__sameDocument")).ShouldBe(42, "the job came over the circuit; the page was not reloaded");

        await link.ClickAsync();
        await page.Locator("[data-testid='page-job']").WaitForAsync();
        await Expect(page.Locator("[data-testid='job-state']")).ToHaveTextAsync("Succeeded");
        await Expect(page.Locator("[data-testid='job-step'] [data-testid='job-step-state']", new() { HasText = "Succeeded" })).ToHaveCountAsync(7);
        await Expect(page.Locator("[data-testid='job-log-lines']")).ToContainTextAsync($"{name} is ready in namespace {name}");
    });
}
