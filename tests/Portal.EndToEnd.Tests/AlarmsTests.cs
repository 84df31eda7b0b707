using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// On-call in Chromium against the sandbox's CloudWatch: a crash-looping deploy raises its alarms while the board is
/// open (no reload), the top bar counts it and announces it, the alarm is acknowledged, and the investigate view shows
/// the failing pod, its restarts and its error lines, with Discover one click away on the same window.
/// </summary>
[Collection(PortalCollection.Name)]
public partial class AlarmsTests(PortalServerFixture server) : BrowserTest(server)
{
    [Fact]
    public Task CrashLoopingDeploy_RaisesItsAlarm_LiveOnTheBoard_AndInvestigateShowsTheFailingPodAndItsErrors() =>
        WithPageAsync(nameof(CrashLoopingDeploy_RaisesItsAlarm_LiveOnTheBoard_AndInvestigateShowsTheFailingPodAndItsErrors), 1440, 1100, async page =>
    {
        var service = $"e2e-{Guid.NewGuid():N}"[..12];
        var restarts = $"dev/{service}/restarts";
        await OpenAsync(page, $"/alarms?environment=dev&service={service}", user: "oncall");
        await Expect(page.Locator("[data-testid='alarm-board-empty']")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => window.__sameDocument = 42");

        using (var dev = await TokenClientAsync("dev"))
        {
            (await dev.PostAsync(new Uri("/api/v1/services", UriKind.Relative), Json(
                $$$"""
                {"name":"{{{service}}}","owningTeam":"shop","imageRepository":"registry.portal.test/shop/{{{service}}}",
                 "ports":[{"name":"http","port":8080,"protocol":"TCP"}],"healthCheckPath":"/healthz","defaultReplicas":1,
                 "resources":{"cpuRequest":"100m","cpuLimit":"200m","memoryRequest":"64Mi","memoryLimit":"128Mi"}}
                """))).EnsureSuccessStatusCode();
            (await dev.PostAsync(new Uri("/api/v1/environments/dev/deployments", UriKind.Relative), Json(
                $$$"""{"service":"{{{service}}}","version":"1.0.0-crash"}"""))).EnsureSuccessStatusCode();
        }

        // The sandbox creates the service's alarms (INSUFFICIENT_DATA), then the restarts alarm fires after the first crash.
        var row = page.Locator($"[data-testid='alarm-row'][data-alarm='{restarts}']");
        await Expect(row).ToHaveAttributeAsync("data-state", "ALARM", new() { Timeout = 90_000 });
        await Expect(row).ToHaveAttributeAsync("data-acknowledged", "false");
        await Expect(page.Locator("[data-testid='alarm-row']")).ToHaveCountAsync(4);
        // The count itself moves with the demo's own crash-looping services; that something fires, unacknowledged, shows.
        await Expect(page.Locator("[data-testid='alarm-counter']")).Not.ToHaveAttributeAsync("data-unacknowledged", "0");
        await Expect(page.Locator("[data-testid='alarm-announcements']")).ToContainTextAsync(service, new() { Timeout = 20_000 });
        (await page.EvaluateAsync<int>("() => window.__sameDocument")).ShouldBe(42, "the alarm arrived over the circuit; the board was not reloaded");

        // The pop-up names the alarm and leads to it.
        await page.Locator(".rz-notification-item", new() { HasText = $"ALARM: {restarts}" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/alarms/{Regex.Escape(restarts)}$"));
        await Expect(page.Locator("[data-testid='alarm-condition']").First).ToContainTextAsync("RestartCount at or above 1 for 1 of 5 periods of 10 seconds");

        // From the keyboard: other pop-ups may lie over the button meanwhile, as pop-ups do.
        await page.Locator("[data-testid='triage-ack']").PressAsync("Enter");
        await Expect(page.Locator("[data-testid='triage-acknowledged']")).ToContainTextAsync("oncall");
        await Expect(page.Locator("[data-testid='alarm-history-row']").First).ToContainTextAsync("ALARM", new() { Timeout = 20_000 });

        await page.Locator("[data-testid='alarm-investigate']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/investigate\\?alarm="));
        var pod = page.Locator("[data-testid='investigation-pod']").First;
        await Expect(pod).ToHaveAttributeAsync("data-pod", new Regex($"^{service}-"), new() { Timeout = 30_000 });

        // The view is a snapshot of its window; the newest lines reach the log store every two seconds. Read again,
        // as someone would, until the crash's line is in (it usually is at once).
        var lastError = pod.Locator("[data-testid='pod-last-error']");
        for (var attempt = 0; attempt < 20 && !((await lastError.TextContentAsync()) ?? "").Contains("panic", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            await page.Locator("[data-testid='investigation-reload']").ClickAsync();
        }

        await Expect(lastError).ToContainTextAsync("panic: runtime error", new() { Timeout = 15_000 });
        (await pod.Locator("[data-testid='pod-restarts']").TextContentAsync()).ShouldNotBe("0");
        await Expect(page.Locator("[data-testid='timeline-entry'][data-kind='ErrorLine']").First).ToContainTextAsync("panic");
        await Expect(page.Locator("[data-testid='timeline-entry'][data-kind='Release']").First).ToContainTextAsync("1.0.0-crash");
        await Expect(page.Locator("[data-testid='timeline-entry'][data-kind='Trail']").First).ToBeVisibleAsync();

        await page.Locator("[data-testid='investigation-error-logs-link']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/logs\\?"));
        await Expect(page.Locator("[data-testid='query-input']")).ToHaveValueAsync($"kubernetes.labels.app:\"{service}\" and level:(error or fatal)");
        await Expect(page.Locator("[data-testid='log-row']").First).ToContainTextAsync("panic", new() { Timeout = 30_000 });
    });
}
