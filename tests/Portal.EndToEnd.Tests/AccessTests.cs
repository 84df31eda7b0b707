using System.Net.Http.Headers;
using Microsoft.Playwright;
using Portal.Testing;

namespace Portal.EndToEnd.Tests;

[Collection(PortalCollection.Name)]
public class AccessTests(PortalServerFixture server) : BrowserTest(server)
{
    [Fact]
    public Task SignIn_WrongPassword_SaysSoAndStaysOnSignIn() => WithPageAsync(nameof(SignIn_WrongPassword_SaysSoAndStaysOnSignIn), 1280, 800, async page =>
    {
        await page.GotoAsync("/environments");

        await SignInAsync(page, "dev", "not-the-password");

        await page.Locator("[data-testid='login-message']", new() { HasText = "Wrong user name or password." }).WaitForAsync();
        page.Url.ShouldContain("/account/login");
        page.Url.ShouldNotContain("dev", customMessage: "what was typed is not echoed into the address");
    });

    [Fact]
    public Task NewEnvironment_InvalidThenValid_ShowsFieldErrorThenPreviewThenCreatesAndOpensIt() => WithPageAsync(nameof(NewEnvironment_InvalidThenValid_ShowsFieldErrorThenPreviewThenCreatesAndOpensIt), 1280, 900, async page =>
    {
        var name = $"e2e-{Guid.NewGuid():N}"[..12];
        await OpenAsync(page, "/environments/new", user: "dev");
        await page.Locator("#name").FillAsync("Not_Valid");
        await page.Locator("#displayName").FillAsync("End to end");
        await page.Locator("#owningTeam").FillAsync("payments");
        await page.Locator("#costCentre").FillAsync("cc-1001");

        await page.Locator("[data-testid='preview']").ClickAsync();

        await page.Locator(".validation-message", new() { HasText = "lower-case letters" }).WaitForAsync();
        (await page.Locator("[data-testid='create']").CountAsync()).ShouldBe(0, "nothing can be created before a preview");
        await page.Locator("#name").FillAsync(name);
        await page.Locator("[data-testid='preview']").ClickAsync();

        // What will be applied to the cluster is shown before anything is stored.
        await page.Locator($"[data-testid='planned-object'][data-kind='Namespace'][data-name='{name}']").WaitForAsync();
        (await page.Locator("[data-testid='planned-object'][data-kind='NetworkPolicy']").CountAsync()).ShouldBe(3);
        await page.Locator("[data-testid='create']").ClickAsync();

        await page.WaitForURLAsync(url => url.Contains($"/environments/{name}", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        (await page.Locator("[data-testid='environment-status']").TextContentAsync()).ShouldNotBeNull().Trim().ShouldBeOneOf("Requested", "Provisioning", "Ready");

        // The provisioning job finishes while the page stays open: the status follows without a reload.
        try
        {
            await Expect(page.Locator("[data-testid='environment-status']")).ToHaveTextAsync("Ready", new() { Timeout = 60_000 });
        }
        catch (PlaywrightException ex)
        {
            // Say what the job was doing: a stuck page and a stuck job are different failures.
            using var dev = await TokenClientAsync("dev");
            throw new ShouldAssertException($"{ex.Message}\nJobs: {await dev.GetStringAsync(new Uri($"/api/v1/jobs?environment={name}", UriKind.Relative))}" +
                $"\nEnvironment: {await dev.GetStringAsync(new Uri($"/api/v1/environments/{name}", UriKind.Relative))}", ex);
        }
    });

    [Fact]
    public Task RevokedRole_StopsWorkingInTheOpenTabWithinSeconds() => WithPageAsync(nameof(RevokedRole_StopsWorkingInTheOpenTabWithinSeconds), 1280, 900, async page =>
    {
        // dev creates an environment and so becomes its Owner: Destroy is offered.
        using var admin = await AdminApiAsync();
        var name = $"rv-{Guid.NewGuid():N}"[..11];
        using var dev = await TokenClientAsync("dev");
        var created = await dev.PostAsync(new Uri("/api/v1/environments", UriKind.Relative), Json(
            $$"""{"name":"{{name}}","displayName":"Revocation","tier":"dev","owningTeam":"payments","costCentre":"cc-1"}"""));
        created.EnsureSuccessStatusCode();
        await OpenAsync(page, $"/environments/{name}", user: "dev");
        await page.Locator("[data-testid='destroy']").WaitForAsync();

        // An administrator revokes that Owner binding while the tab stays open.
        var bindings = await admin.GetStringAsync(new Uri($"/api/v1/environments/{name}/access", UriKind.Relative));
        var id = System.Text.Json.JsonDocument.Parse(bindings).RootElement.EnumerateArray()
            .Single(b => b.GetProperty("role").GetString() == "Owner" && b.GetProperty("scope").GetString() == $"env:{name}").GetProperty("id").GetString();
        (await admin.DeleteAsync(new Uri($"/api/v1/environments/{name}/access/{id}", UriKind.Relative))).EnsureSuccessStatusCode();

        // No reload: the circuit re-checks (every 5 s in this run) and the button is withdrawn, with the reason.
        var disabled = page.Locator("[data-testid='destroy-disabled']");
        await disabled.WaitForAsync(new() { Timeout = 20_000 });
        (await disabled.GetAttributeAsync("title")).ShouldNotBeNull().ShouldContain("You need Owner");
    });

    [Fact]
    public Task EditEnvironment_SavesAndRefusesASecondStaleEdit() => WithPageAsync(nameof(EditEnvironment_SavesAndRefusesASecondStaleEdit), 1280, 900, async page =>
    {
        using var admin = await AdminApiAsync();
        var name = $"ed-{Guid.NewGuid():N}"[..11];
        (await admin.PostAsync(new Uri("/api/v1/environments", UriKind.Relative), Json(
            $$"""{"name":"{{name}}","displayName":"Editable","tier":"dev","owningTeam":"payments","costCentre":"cc-1"}"""))).EnsureSuccessStatusCode();
        await OpenAsync(page, $"/environments/{name}");

        await page.Locator("[data-testid='edit']").ClickAsync();
        await page.Locator("#edit-owningTeam").FillAsync("checkout");
        await page.Locator("[data-testid='save']").ClickAsync();
        await page.Locator("[data-testid='environment-summary']", new() { HasText = "checkout" }).WaitForAsync();

        // Someone else changes it through the API while this tab edits the version it saw.
        await page.Locator("[data-testid='edit']").ClickAsync();
        (await admin.PatchAsync(new Uri($"/api/v1/environments/{name}", UriKind.Relative), Json("""{"owningTeam":"platform"}"""))).EnsureSuccessStatusCode();
        await page.Locator("#edit-owningTeam").FillAsync("mine");
        await page.Locator("[data-testid='save']").ClickAsync();

        await page.Locator("[data-testid='edit-conflict']", new() { HasText = "changed by admin" }).WaitForAsync();
    });

    private async Task<HttpClient> AdminApiAsync() => await TokenClientAsync("admin");
}
