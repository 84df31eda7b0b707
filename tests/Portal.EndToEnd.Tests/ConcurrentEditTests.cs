using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Two people, two browsers, one form: both open the edit form of the same service (and of the same environment),
/// both change it, the first saves. The second is told who changed what, their change is not written over the first,
/// and reloading shows the first person's change.
/// </summary>
[Collection(PortalCollection.Name)]
public class ConcurrentEditTests(PortalServerFixture server) : BrowserTest(server)
{
    [Fact]
    public Task EditService_TwoPeopleSaveTheSameVersion_SecondIsRefusedNamingTheFirstThenReloadShowsTheirChange() =>
        WithTwoPagesAsync(nameof(EditService_TwoPeopleSaveTheSameVersion_SecondIsRefusedNamingTheFirstThenReloadShowsTheirChange), async (alice, bob) =>
        {
            var service = $"occ-{Guid.NewGuid():N}"[..12];
            using var api = await TokenClientAsync("dev");
            (await api.PostAsync(new Uri("/api/v1/services", UriKind.Relative), Json(
                $$$"""
                {"name":"{{{service}}}","owningTeam":"shop","description":"as registered","imageRepository":"registry.portal.test/shop/{{{service}}}",
                 "ports":[{"name":"http","port":8080,"protocol":"TCP"}],"healthCheckPath":"/healthz","defaultReplicas":1,
                 "resources":{"cpuRequest":"100m","cpuLimit":"200m","memoryRequest":"64Mi","memoryLimit":"128Mi"}}
                """))).EnsureSuccessStatusCode();
            await OpenAsync(alice, $"/services/{service}/edit", user: "dev");
            await OpenAsync(bob, $"/services/{service}/edit", user: "oncall");
            await Expect(alice.Locator("#description")).ToHaveValueAsync("as registered");
            await Expect(bob.Locator("#description")).ToHaveValueAsync("as registered");

            await alice.Locator("#description").FillAsync("Alice's description");
            await bob.Locator("#description").FillAsync("Bob's description");
            await bob.Locator("#owningTeam").FillAsync("bobs-team");
            await alice.Locator("[data-testid='submit']").ClickAsync();
            await alice.WaitForURLAsync(url => url.EndsWith($"/services/{service}", StringComparison.Ordinal));
            await bob.Locator("[data-testid='submit']").ClickAsync();

            var conflict = bob.Locator("[data-testid='form-conflict']");
            await Expect(conflict).ToContainTextAsync("changed by dev");
            await Expect(conflict).ToContainTextAsync("version 2");
            await Assertions.Expect(bob).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/services/{service}/edit$"));
            var stored = await api.GetFromJsonAsync<JsonElement>($"/api/v1/services/{service}");
            (stored.GetProperty("description").GetString(), stored.GetProperty("owningTeam").GetString(), stored.GetProperty("version").GetInt32())
                .ShouldBe(("Alice's description", "shop", 2));

            await conflict.Locator("[data-testid='reload']").ClickAsync();
            await Expect(bob.Locator("#description")).ToHaveValueAsync("Alice's description");
            await Expect(bob.Locator("#owningTeam")).ToHaveValueAsync("shop");
            await Expect(bob.Locator("[data-testid='service-version']")).ToHaveTextAsync("version 2");
            await Expect(bob.Locator("[data-testid='form-conflict']")).ToHaveCountAsync(0);
        });

    [Fact]
    public Task EditEnvironment_TwoPeopleSaveTheSameVersion_SecondIsRefusedNamingWhoAndWhatThenReloadShowsTheirChange() =>
        WithTwoPagesAsync(nameof(EditEnvironment_TwoPeopleSaveTheSameVersion_SecondIsRefusedNamingWhoAndWhatThenReloadShowsTheirChange), async (alice, bob) =>
        {
            // dev creates it, so dev is its Owner and may change it; admin may change anything.
            var name = $"occ-{Guid.NewGuid():N}"[..12];
            using var api = await TokenClientAsync("dev");
            (await api.PostAsync(new Uri("/api/v1/environments", UriKind.Relative), Json(
                $$"""{"name":"{{name}}","displayName":"Shared env","tier":"dev","owningTeam":"payments","costCentre":"cc-1"}"""))).EnsureSuccessStatusCode();
            await OpenAsync(alice, $"/environments/{name}", user: "dev");
            await OpenAsync(bob, $"/environments/{name}", user: "admin");
            foreach (var page in new[] { alice, bob })
            {
                await page.Locator("[data-testid='edit']").ClickAsync();
                await Expect(page.Locator("#edit-displayName")).ToHaveValueAsync("Shared env");
            }

            await alice.Locator("#edit-displayName").FillAsync("Alice's name");
            await bob.Locator("#edit-displayName").FillAsync("Bob's name");
            await bob.Locator("#edit-costCentre").FillAsync("cc-bob");
            await alice.Locator("[data-testid='save']").ClickAsync();
            await Expect(alice.Locator("[data-testid='page-environment'] h1")).ToHaveTextAsync("Alice's name");
            await bob.Locator("[data-testid='save']").ClickAsync();

            var conflict = bob.Locator("[data-testid='edit-conflict']");
            await Expect(conflict).ToContainTextAsync("changed by dev");
            await Expect(conflict).ToContainTextAsync("(display name)");
            await Expect(conflict).ToContainTextAsync("not saved");
            var stored = await api.GetFromJsonAsync<JsonElement>($"/api/v1/environments/{name}");
            (stored.GetProperty("displayName").GetString(), stored.GetProperty("costCentre").GetString(), stored.GetProperty("version").GetInt32())
                .ShouldBe(("Alice's name", "cc-1", 2));

            await conflict.Locator("[data-testid='reload']").ClickAsync();
            await Expect(bob.Locator("[data-testid='page-environment'] h1")).ToHaveTextAsync("Alice's name");
            await Expect(bob.Locator("[data-testid='edit-conflict']")).ToHaveCountAsync(0);
            await bob.Locator("[data-testid='edit']").ClickAsync();
            await Expect(bob.Locator("#edit-displayName")).ToHaveValueAsync("Alice's name");
            await Expect(bob.Locator("#edit-costCentre")).ToHaveValueAsync("cc-1");
        });

    /// <summary>Two browser contexts (two people, two sessions); on failure both pages are kept as screenshots.</summary>
    private async Task WithTwoPagesAsync(string name, Func<IPage, IPage, Task> test)
    {
        await using var first = await NewContextAsync();
        await using var second = await NewContextAsync();
        var alice = await first.NewPageAsync();
        var bob = await second.NewPageAsync();
        try
        {
            await test(alice, bob);
        }
        catch
        {
            Directory.CreateDirectory(PortalServerFixture.ArtifactsDirectory);
            await alice.ScreenshotAsync(new() { Path = Path.Combine(PortalServerFixture.ArtifactsDirectory, $"{name}-first.png"), FullPage = true });
            await bob.ScreenshotAsync(new() { Path = Path.Combine(PortalServerFixture.ArtifactsDirectory, $"{name}-second.png"), FullPage = true });
            throw;
        }
    }

    private async Task<IBrowserContext> NewContextAsync()
    {
        var context = await Server.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 1000 },
        });
        context.SetDefaultTimeout(15_000);
        return context;
    }
}
