using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// The catalog in Chromium: a service registered with the keyboard (errors under the rows they belong to), a stale
/// edit refused with a banner, and a release promoted from dev to test from the pipeline.
/// </summary>
[Collection(PortalCollection.Name)]
public class CatalogTests(PortalServerFixture server) : BrowserTest(server)
{
    [Fact]
    public Task Register_WithTheKeyboard_RowErrorsUnderTheirRowThenTheServicePage() => WithPageAsync(nameof(Register_WithTheKeyboard_RowErrorsUnderTheirRowThenTheServicePage), 1440, 1200, async page =>
    {
        var service = $"cat-{Guid.NewGuid():N}"[..12];
        await OpenAsync(page, "/services/new", user: "dev");
        await page.Locator("#name").FillAsync(service);
        await page.Locator("#owningTeam").FillAsync("shop");
        await page.Locator("#imageRepository").FillAsync($"registry.portal.test/shop/{service}");

        await page.Locator("[data-testid='ports-add']").ClickAsync();
        await Expect(page.Locator("#ports-1-name")).ToBeFocusedAsync();   // the new row's first input
        await page.Keyboard.TypeAsync("metrics");
        await page.Locator("#cpuRequest").FillAsync("lots");
        await page.Locator("#imageRepository").PressAsync("Enter");

        var second = page.Locator("[data-testid='ports-row']").Nth(1);
        await Expect(second.Locator(".validation-message")).ToContainTextAsync("between 1 and 65535");
        await Expect(page.Locator("[data-testid='ports-row']").Nth(0).Locator(".validation-message")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid='resource-fields'] .validation-message")).ToContainTextAsync("not a Kubernetes quantity");
        await Expect(page.Locator("[data-testid='form-message']")).ToBeVisibleAsync();

        await page.Locator("input#ports-1-port").FillAsync("9090");
        await page.Locator("#cpuRequest").FillAsync("100m");
        await page.Locator("#cpuRequest").PressAsync("Enter");

        await page.WaitForURLAsync(url => url.EndsWith($"/services/{service}", StringComparison.Ordinal));
        await Expect(page.Locator("h1[data-testid='service-name']")).ToHaveTextAsync(service);
        await Expect(page.Locator("[data-testid='service-defaults']")).ToContainTextAsync("metrics 9090/TCP");
        var stages = page.Locator("[data-testid='pipeline-stage']");
        // dev may see dev, test and staging in tier order, not prod; other tests' environments may stand beside them.
        await Expect(page.Locator("[data-testid='pipeline-stage'][data-environment='staging']")).ToHaveCountAsync(1);
        var shown = await stages.EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.environment)");
        shown.Where(e => e is "dev" or "test" or "staging" or "prod").ShouldBe(["dev", "test", "staging"]);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Definition history" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("tab=history", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid='history-changed']")).ToHaveTextAsync("created");
    });

    [Fact]
    public Task Edit_ChangedMeanwhile_ConflictBannerAndTheLatestVersionOnReload() => WithPageAsync(nameof(Edit_ChangedMeanwhile_ConflictBannerAndTheLatestVersionOnReload), 1440, 1200, async page =>
    {
        var service = $"cat-{Guid.NewGuid():N}"[..12];
        using var dev = await TokenClientAsync("dev");
        (await dev.PostAsync(new Uri("/api/v1/services", UriKind.Relative), Json(Body(service, "shop")))).EnsureSuccessStatusCode();
        await OpenAsync(page, $"/services/{service}/edit", user: "dev");
        await Expect(page.Locator("#owningTeam")).ToHaveValueAsync("shop");

        (await dev.PutAsync(new Uri($"/api/v1/services/{service}", UriKind.Relative), Json(Body(service, "orders")))).EnsureSuccessStatusCode();
        await page.Locator("#description").FillAsync("edited in the browser");
        await page.Locator("[data-testid='submit']").ClickAsync();

        await Expect(page.Locator("[data-testid='form-conflict']")).ToContainTextAsync("version 2");
        await page.Locator("[data-testid='reload']").ClickAsync();
        await Expect(page.Locator("#owningTeam")).ToHaveValueAsync("orders");
        await Expect(page.Locator("[data-testid='service-version']")).ToHaveTextAsync("version 2");
        await Expect(page.Locator("[data-testid='form-conflict']")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Pipeline_PromoteFromDev_NewReleaseInTestLinked() => WithPageAsync(nameof(Pipeline_PromoteFromDev_NewReleaseInTestLinked), 1440, 1200, async page =>
    {
        var service = $"cat-{Guid.NewGuid():N}"[..12];
        using (var dev = await TokenClientAsync("dev"))
        {
            (await dev.PostAsync(new Uri("/api/v1/services", UriKind.Relative), Json(Body(service, "shop")))).EnsureSuccessStatusCode();
            (await dev.PostAsync(new Uri("/api/v1/environments/dev/deployments", UriKind.Relative), Json($$"""{"service":"{{service}}","version":"1.0.0"}""")))
                .EnsureSuccessStatusCode();
        }

        await OpenAsync(page, $"/services/{service}", user: "dev");
        var promote = page.Locator("[data-testid='promote'][data-from='dev'][data-to='test']");
        await Expect(promote).ToHaveCountAsync(1, new() { Timeout = 45_000 });   // shown once the dev release has succeeded
        await Expect(page.Locator("[data-testid='pipeline-stage'][data-environment='dev'] [data-testid='stage-version'] code")).ToHaveTextAsync("1.0.0");
        await promote.ClickAsync();

        var outcome = page.Locator("[data-testid='promote-outcome'][data-outcome='ok']");
        await Expect(outcome).ToContainTextAsync("Promoted 1.0.0 to test");
        await Expect(outcome.Locator("[data-testid='promote-release-link']")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^deployments/test/[0-9a-f-]{36}$"));
        await Expect(page.Locator("[data-testid='pipeline-stage'][data-environment='test'] [data-testid='stage-release-link']")).ToHaveTextAsync("Release #1");
    });

    private static string Body(string service, string team) =>
        $$$"""
        {"name":"{{{service}}}","owningTeam":"{{{team}}}","imageRepository":"registry.portal.test/shop/{{{service}}}",
         "ports":[{"name":"http","port":8080,"protocol":"TCP"}],"healthCheckPath":"/healthz","defaultReplicas":1,
         "resources":{"cpuRequest":"100m","cpuLimit":"200m","memoryRequest":"64Mi","memoryLimit":"128Mi"}}
        """;
}
