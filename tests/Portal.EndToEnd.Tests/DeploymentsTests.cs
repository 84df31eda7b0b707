using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>A developer deploys in Chromium: the form prefilled from the catalog, a preview with the diff, then the release page following the rollout live.</summary>
[Collection(PortalCollection.Name)]
public class DeploymentsTests(PortalServerFixture server) : BrowserTest(server)
{
    [Fact]
    public Task Deploy_PreviewThenDeploy_ReleasePageFollowsTheRolloutToSucceededWithoutReload() => WithPageAsync(nameof(Deploy_PreviewThenDeploy_ReleasePageFollowsTheRolloutToSucceededWithoutReload), 1440, 1100, async page =>
    {
        var service = $"e2e-{Guid.NewGuid():N}"[..12];
        using (var dev = await TokenClientAsync("dev"))
        {
            (await dev.PostAsync(new Uri("/api/v1/services", UriKind.Relative), Json(
                $$$"""
                {"name":"{{{service}}}","owningTeam":"shop","imageRepository":"registry.portal.test/shop/{{{service}}}",
                 "ports":[{"name":"http","port":8080,"protocol":"TCP"}],"healthCheckPath":"/healthz","defaultReplicas":1,
                 "resources":{"cpuRequest":"100m","cpuLimit":"200m","memoryRequest":"64Mi","memoryLimit":"128Mi"}}
                """))).EnsureSuccessStatusCode();
        }

        await OpenAsync(page, $"/deploy?service={service}&env=dev", user: "dev");
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Deploy {service} to dev");
        await Expect(page.Locator("#cpuRequest")).ToHaveValueAsync("100m");
        await page.EvaluateAsync("() => window.__sameDocument = 42");

        await page.Locator("#replicas").FillAsync("2");
        await page.Locator("#replicas").PressAsync("Tab");
        await page.Locator("#version").FillAsync("1.0.0");
        await page.Locator("#version").PressAsync("Enter");   // Enter submits the step shown: the preview

        var deployment = page.Locator("[data-testid='preview-objects'] [data-testid='object-change'][data-kind='Deployment']");
        await Expect(deployment).ToHaveAttributeAsync("data-change", "create", new() { Timeout = 20_000 });
        await Expect(deployment.Locator(".diff-added", new() { HasText = $"{service}:1.0.0" })).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid='preview-quota']")).Not.ToBeEmptyAsync();
        await page.Locator("[data-testid='deploy']").ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("/deployments/dev/", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator("[data-testid='release-title']")).ToContainTextAsync($"{service} #1");
        await Expect(page.Locator("[data-testid='release-state']")).ToHaveTextAsync("Succeeded", new() { Timeout = 45_000 });
        await Expect(page.Locator("[data-testid='rollout-pod'][data-current='true'][data-ready='true']")).ToHaveCountAsync(2, new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-testid='rollout-counts']")).ToContainTextAsync("2 of 2 updated, 2 ready, 2 available");
        (await page.EvaluateAsync<int>("() => window.__sameDocument")).ShouldBe(42, "preview, deploy and the rollout came over the circuit; the page was not reloaded");
    });
}
