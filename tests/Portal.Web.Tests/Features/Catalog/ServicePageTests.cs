using System.Net.Http.Json;
using Portal.Core.Authorization;
using Portal.Core.Deployments;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Features.Workloads;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Catalog;

/// <summary>
/// A service's page as the server first renders it, against the sandbox cluster (nothing of the test services runs
/// there; their releases are stored directly): header, pipeline, releases with their comparison, definition history.
/// </summary>
public sealed class ServicePageTests(SandboxAppFactory sandbox) : IClassFixture<SandboxAppFactory>
{
    private static readonly string Developer = MatrixAppFactory.UserFor(Roles.Developer);

    [Fact]
    public async Task Header_ShowsOwnerLinksAndImage_EditOnlyForThoseWhoMay()
    {
        using var developer = await sandbox.App.SignInAsync(Developer);
        using var viewer = await sandbox.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Viewer));

        var doc = await CatalogTestData.PageAsync(developer, "/services/payments-api");

        doc.QuerySelector("h1[data-testid='service-name']")!.TextContent.ShouldBe("payments-api");
        doc.QuerySelector("[data-testid='service-team']")!.TextContent.ShouldBe("payments");
        doc.QuerySelector("[data-testid='service-description']")!.TextContent.ShouldBe("Takes card payments and captures them.");
        doc.QuerySelector("[data-testid='link-repository']")!.GetAttribute("href").ShouldBe("https://git.portal.test/payments/payments-api");
        doc.QuerySelector("[data-testid='link-runbook']")!.GetAttribute("href").ShouldBe("https://wiki.portal.test/runbooks/payments-api");
        doc.QuerySelector("[data-testid='link-dashboard']").ShouldBeNull("the seed has no dashboard");
        doc.QuerySelector("[data-testid='service-image']")!.TextContent.ShouldBe("registry.portal.test/payments/payments-api");
        doc.QuerySelector("[data-testid='edit-service']").ShouldNotBeNull();
        (await CatalogTestData.PageAsync(viewer, "/services/payments-api")).QuerySelector("[data-testid='edit-service']").ShouldBeNull();
    }

    [Fact]
    public async Task Pipeline_StagesInTierOrder_PromoteOnlyFromAStageWithASuccess()
    {
        using var developer = await sandbox.App.SignInAsync(Developer);
        await CatalogTestData.CreateAsync(developer, "pipe-order");
        await CatalogTestData.AddReleaseAsync(sandbox.App, "pipe-order", "dev", 1, "1.0.0", minutesAgo: 30);
        var dev2 = await CatalogTestData.AddReleaseAsync(sandbox.App, "pipe-order", "dev", 2, "1.0.1", minutesAgo: 20);
        await CatalogTestData.AddReleaseAsync(sandbox.App, "pipe-order", "test", 1, "1.0.1", ReleaseState.Failed, minutesAgo: 10, failureReason: "ImagePullBackOff");

        var doc = await CatalogTestData.PageAsync(developer, "/services/pipe-order");

        var stages = doc.QuerySelectorAll("[data-testid='pipeline-stage']");
        stages.Select(s => s.GetAttribute("data-environment")).ShouldBe(["dev", "test", "staging", "prod"]);
        stages.Select(s => s.GetAttribute("data-tier")).ShouldBe(["dev", "test", "staging", "prod"]);

        var promote = doc.QuerySelectorAll("[data-testid='promote']").ShouldHaveSingleItem("only dev has a succeeded release");
        (promote.GetAttribute("data-from"), promote.GetAttribute("data-to")).ShouldBe(("dev", "test"));
        promote.GetAttribute("title").ShouldBe("Promote 1.0.1 from dev to test");

        var dev = stages[0];
        dev.QuerySelector("[data-testid='stage-version'] code")!.TextContent.ShouldBe("1.0.1");
        var link = dev.QuerySelector("[data-testid='stage-release-link']")!;
        (link.TextContent, link.GetAttribute("href")).ShouldBe(("Release #2", $"deployments/dev/{dev2.Id}"));
        dev.QuerySelector("[data-testid='stage-health']")!.GetAttribute("data-health").ShouldBe("not-deployed");
        dev.QuerySelector("[data-testid='stage-deploy']")!.GetAttribute("href").ShouldBe("deploy?service=pipe-order&env=dev");

        var test = stages[1];
        test.QuerySelector("[data-testid='stage-release-state-badge']")!.TextContent.ShouldBe("Failed");
        test.TextContent.ShouldContain("The rollout failed (ImagePullBackOff).");
        stages[2].QuerySelector("[data-testid='stage-no-release']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='unreachable-banner']").ShouldBeNull();
    }

    [Fact]
    public async Task Pipeline_DeveloperToProd_PromoteShownAsNotAllowed()
    {
        using var developer = await sandbox.App.SignInAsync(Developer);
        await CatalogTestData.CreateAsync(developer, "pipe-prod");
        await CatalogTestData.AddReleaseAsync(sandbox.App, "pipe-prod", "staging", 1, "3.1.0");

        var doc = await CatalogTestData.PageAsync(developer, "/services/pipe-prod");

        doc.QuerySelector("[data-testid='promote']").ShouldBeNull();
        var denied = doc.QuerySelectorAll("[data-testid='promote-denied']").ShouldHaveSingleItem();
        (denied.GetAttribute("data-from"), denied.GetAttribute("data-to")).ShouldBe(("staging", "prod"));
        denied.HasAttribute("disabled").ShouldBeTrue();
        denied.GetAttribute("title").ShouldNotBeNullOrWhiteSpace("the reason is given");
    }

    [Fact]
    public async Task Releases_NewestFirstAcrossEnvironments_FilterAndCompareWithPrevious()
    {
        using var developer = await sandbox.App.SignInAsync(Developer);
        await CatalogTestData.CreateAsync(developer, "pipe-rel");
        var dev1 = await CatalogTestData.AddReleaseAsync(sandbox.App, "pipe-rel", "dev", 1, "1.0.0", minutesAgo: 30);
        var dev2 = await CatalogTestData.AddReleaseAsync(sandbox.App, "pipe-rel", "dev", 2, "1.0.1", minutesAgo: 20);
        var test1 = await CatalogTestData.AddReleaseAsync(sandbox.App, "pipe-rel", "test", 1, "1.0.1", ReleaseState.Failed, minutesAgo: 10, failureReason: "CrashLoopBackOff");

        var doc = await CatalogTestData.PageAsync(developer, "/services/pipe-rel?tab=releases");

        doc.QuerySelector("[data-testid='pipeline']").ShouldBeNull("only the chosen tab renders");
        var rows = doc.QuerySelectorAll("[data-testid='releases-grid'] tbody tr");
        rows.Select(r => r.QuerySelector("[data-testid='release-link']")!.GetAttribute("href"))
            .ShouldBe([$"deployments/test/{test1.Id}", $"deployments/dev/{dev2.Id}", $"deployments/dev/{dev1.Id}"]);
        rows[0].TextContent.ShouldContain("CrashLoopBackOff");
        rows[0].QuerySelector("[data-testid='release-state']")!.TextContent.ShouldBe("Failed");
        rows[0].QuerySelector("[data-testid='compare-previous']").ShouldBeNull("the first release in test has none before it");
        rows[0].QuerySelector("[data-testid='release-select'] [aria-label='Select release #1 in test'], [data-testid='release-select'][aria-label='Select release #1 in test']")
            .ShouldNotBeNull("each checkbox says which release it selects");
        var compare = rows[1].QuerySelector("[data-testid='compare-previous']")!.GetAttribute("href")!;
        compare.ShouldContain($"from={dev1.Id}");
        compare.ShouldContain($"to={dev2.Id}");
        compare.ShouldContain("tab=releases");

        var filtered = await CatalogTestData.PageAsync(developer, "/services/pipe-rel?tab=releases&environment=test");
        filtered.QuerySelectorAll("[data-testid='release-link']").Select(a => a.TextContent).ShouldBe(["#1"]);

        var diff = await CatalogTestData.PageAsync(developer, new Uri(compare).PathAndQuery);
        diff.QuerySelector("[data-testid='comparison-title']")!.TextContent.ShouldContain("#1 in dev (1.0.0) → #2 in dev (1.0.1)");
        var objects = diff.QuerySelectorAll("[data-testid='object-change']");
        objects.Select(o => (o.GetAttribute("data-kind"), o.GetAttribute("data-change"))).ShouldBe([("Deployment", "update"), ("Service", "unchanged")]);
        objects[0].QuerySelector(".diff-removed")!.TextContent.ShouldContain("pipe-rel:1.0.0");
        objects[0].QuerySelector(".diff-added")!.TextContent.ShouldContain("pipe-rel:1.0.1");
        objects[1].QuerySelector(".diff-line").ShouldBeNull("an unchanged object shows no lines");
    }

    [Fact]
    public async Task History_ListsEachVersionWithItsChangedFields()
    {
        using var developer = await sandbox.App.SignInAsync(Developer);
        await CatalogTestData.CreateAsync(developer, "pipe-hist");
        var changed = CatalogTestData.Body("pipe-hist", team: "orders");
        (await developer.PutAsJsonAsync("/api/v1/services/pipe-hist", changed)).EnsureSuccessStatusCode();

        var doc = await CatalogTestData.PageAsync(developer, "/services/pipe-hist?tab=history");

        var rows = doc.QuerySelectorAll("[data-testid='history-grid'] tbody tr");
        rows.Length.ShouldBe(2);
        rows[0].QuerySelector("td")!.TextContent.Trim().ShouldBe("2");
        rows[0].QuerySelector("[data-testid='history-changed']")!.TextContent.ShouldContain("owningTeam");
        rows[0].TextContent.ShouldContain(Developer);
        rows[1].QuerySelector("[data-testid='history-changed']")!.TextContent.Trim().ShouldBe("created");
    }
}
