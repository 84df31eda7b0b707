using System.Diagnostics;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>The live workload views in Chromium against the embedded sandbox cluster, changed by kubectl and by the UI.</summary>
[Collection(PortalCollection.Name)]
public class WorkloadsTests(PortalServerFixture server) : BrowserTest(server)
{
    [Fact]
    public Task PodsView_KubectlScales_NewPodRowsAppearWithoutReload() => WithPageAsync(nameof(PodsView_KubectlScales_NewPodRowsAppearWithoutReload), 1440, 1000, async page =>
    {
        await OpenAsync(page, "/environments/test/workloads");
        var checkoutRows = page.Locator("[data-testid='pod-row'][data-pod^='checkout-web-']");
        await checkoutRows.First.WaitForAsync();
        (await checkoutRows.CountAsync()).ShouldBe(1);
        await page.EvaluateAsync("() => window.__sameDocument = 42");

        await KubectlAsync("scale", "deployment/checkout-web", "-n", "test", "--replicas=3");

        await Expect(checkoutRows).ToHaveCountAsync(3, new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-testid='pod-row'][data-pod^='checkout-web-'] [data-testid='pod-status']", new() { HasText = "Running" })).ToHaveCountAsync(3, new() { Timeout = 20_000 });
        (await page.EvaluateAsync<int>("() => window.__sameDocument")).ShouldBe(42, "the rows came over the circuit; the page was not reloaded");
        await KubectlAsync("scale", "deployment/checkout-web", "-n", "test", "--replicas=1");
        await Expect(checkoutRows).ToHaveCountAsync(1, new() { Timeout = 20_000 });
    });

    [Fact]
    public Task PodPage_ShowsLogsSearchesThemAndRestartsThePod() => WithPageAsync(nameof(PodPage_ShowsLogsSearchesThemAndRestartsThePod), 1440, 1100, async page =>
    {
        await OpenAsync(page, "/environments/staging/workloads");
        var link = page.Locator("[data-testid='pod-row'][data-pod^='orders-worker-'] a").First;
        var pod = (await link.TextContentAsync())!.Trim();
        await link.ClickAsync();

        await page.Locator("[data-testid='page-pod'] h1", new() { HasText = pod }).WaitForAsync();
        await page.Locator("[data-testid='container-state']", new() { HasText = "Running since" }).WaitForAsync();
        await Expect(page.Locator("[data-testid='log-lines'] .portal-log-line").First).ToContainTextAsync("level=", new() { Timeout = 20_000 });
        await page.Locator("[data-testid='log-count']", new() { HasText = "following" }).WaitForAsync();
        await page.Locator("[data-testid='log-search']").FillAsync("level=info");
        await page.Locator("[data-testid='log-count']", new() { HasText = "lines match" }).WaitForAsync();
        var shown = await page.Locator("[data-testid='log-lines'] .portal-log-line").AllTextContentsAsync();
        shown.ShouldNotBeEmpty();
        shown.ShouldAllBe(l => l.Contains("level=info", StringComparison.Ordinal));

        await page.Locator("[data-testid='pod-restart']").ClickAsync();
        await page.Locator(".rz-dialog button", new() { HasText = "Restart" }).ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith("/environments/staging/workloads", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator($"[data-testid='pod-row'][data-pod='{pod}']")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-testid='pod-row'][data-pod^='orders-worker-']")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
    });

    [Fact]
    public Task Deployments_OperatorScalesThroughTheUiWithConfirmation() => WithPageAsync(nameof(Deployments_OperatorScalesThroughTheUiWithConfirmation), 1440, 1000, async page =>
    {
        await OpenAsync(page, "/environments/dev/workloads", user: "oncall");
        var row = page.Locator("[data-testid='deployments-grid'] tr", new() { HasText = "inventory-api" });
        await Expect(row.Locator("[data-testid='deployment-ready']")).ToHaveTextAsync("1/1", new() { Timeout = 20_000 });

        await page.Locator("[data-testid='scale-inventory-api']").ClickAsync();
        await page.Locator("[data-testid='scale-replicas']").FillAsync("2");
        await page.Locator("[data-testid='scale-apply']").ClickAsync();   // straight after typing, as a quick person does
        await page.Locator(".rz-dialog", new() { HasText = "from 1 to 2 replicas" }).WaitForAsync();
        await page.Locator(".rz-dialog button", new() { HasText = "Scale" }).ClickAsync();

        await Expect(row.Locator("[data-testid='deployment-ready']")).ToHaveTextAsync("2/2", new() { Timeout = 20_000 });
    });

    [Fact]
    public Task Workloads_ViewerSeesNoActions() => WithPageAsync(nameof(Workloads_ViewerSeesNoActions), 1280, 900, async page =>
    {
        await OpenAsync(page, "/environments/dev/workloads", user: "viewer");
        await page.Locator("[data-testid='pod-row']").First.WaitForAsync();

        (await page.Locator("[data-testid^='scale-']").CountAsync()).ShouldBe(0);
    });

    private async Task KubectlAsync(params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(Server.SandboxKubeconfig);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        process.ExitCode.ShouldBe(0, await stderr);
    }
}
