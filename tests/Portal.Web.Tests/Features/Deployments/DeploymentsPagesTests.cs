using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Portal.Core.Authorization;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Deployments;

/// <summary>The deployment pages as the server first renders them, against the sandbox: list, deploy form, release, approvals, settings.</summary>
[Collection(DeploymentsCollection.Name)]
public sealed class DeploymentsPagesTests(DeploymentsAppFactory deployments)
{
    private PortalAppFactory App => deployments.App;

    [Fact]
    public async Task DeployForm_PrefilledFromTheLastReleaseInTheEnvironment()
    {
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);
        var service = await DeployApi.CreateServiceAsync(developer, "dp-form");
        await DeployApi.DeploySucceededAsync(developer, "dev", new
        {
            service, version = "1.3.0", replicas = 2,
            resources = new { cpuRequest = "150m", cpuLimit = "300m", memoryRequest = "96Mi", memoryLimit = "192Mi" },
            env = new Dictionary<string, string> { ["FEATURE_X"] = "on", ["A_MODE"] = "fast" },
        });

        var doc = await PageAsync(developer, $"/deploy?service={service}&env=dev");

        doc.QuerySelector("h1")!.TextContent.Trim().ShouldBe($"Deploy {service} to dev");
        Value(doc, "version").ShouldBe("1.3.0");
        Value(doc, "replicas").ShouldBe("2");
        Value(doc, "cpuRequest").ShouldBe("150m");
        Value(doc, "cpuLimit").ShouldBe("300m");
        Value(doc, "memoryRequest").ShouldBe("96Mi");
        Value(doc, "memoryLimit").ShouldBe("192Mi");
        (Value(doc, "env-name-0"), Value(doc, "env-value-0")).ShouldBe(("A_MODE", "fast"));
        (Value(doc, "env-name-1"), Value(doc, "env-value-1")).ShouldBe(("FEATURE_X", "on"));
        foreach (var field in new[] { "service", "target-environment", "version", "replicas", "cpuRequest", "cpuLimit", "memoryRequest", "memoryLimit", "ingress" })
        {
            doc.QuerySelector($"label[for='{field}']").ShouldNotBeNull($"a label for #{field}");
            doc.QuerySelectorAll($"[id='{field}']").Length.ShouldBe(1, $"one element with id {field}");
        }

        doc.QuerySelector("[data-testid='preview']")!.GetAttribute("type").ShouldBe("submit");
        doc.QuerySelector("[data-testid='deploy']").ShouldBeNull("deploying comes after the preview");
    }

    [Fact]
    public async Task DeployForm_NoReleaseYet_PrefilledFromTheCatalog()
    {
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);
        var service = await DeployApi.CreateServiceAsync(developer, "dp-new", replicas: 3);

        var doc = await PageAsync(developer, $"/deploy?service={service}&env=dev");

        Value(doc, "version").ShouldBeNullOrEmpty();
        Value(doc, "replicas").ShouldBe("3");
        Value(doc, "cpuRequest").ShouldBe("100m");
        Value(doc, "memoryLimit").ShouldBe("128Mi");
        doc.QuerySelector("[data-testid='env-row']").ShouldBeNull();
    }

    [Fact]
    public async Task ReleasePage_FailedRelease_ShowsTheReasonAndTheRollbackToTheLastGood()
    {
        var scenario = await deployments.FailedScenarioAsync();
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);

        var doc = await PageAsync(developer, $"/deployments/dev/{scenario.Failed}");

        doc.QuerySelector("[data-testid='release-state']")!.TextContent.ShouldBe("Failed");
        doc.QuerySelector("[data-testid='release-title']")!.TextContent.ShouldContain($"{scenario.Service} #2");
        doc.QuerySelector("[data-testid='release-service']")!.GetAttribute("href").ShouldBe($"services/{scenario.Service}");
        doc.QuerySelector("[data-testid='release-version']")!.TextContent.ShouldBe("1.1.0-bad");
        doc.QuerySelector("[data-testid='release-by']")!.TextContent.ShouldBe(DeploymentsAppFactory.Developer);
        doc.QuerySelector("[data-testid='release-job']")!.GetAttribute("href")!.ShouldStartWith("jobs/");
        doc.QuerySelector("[data-testid='release-failure-reason']")!.TextContent.ShouldContain("ImagePullBackOff");
        doc.QuerySelector("[data-testid='release-failure-text']")!.TextContent.ShouldContain("ImagePullBackOff");
        doc.QuerySelector("[data-testid='rollback-last-good']")!.TextContent.ShouldContain("Roll back to #1 (1.0.0)");
        doc.QuerySelector("[data-testid='rollback-this']").ShouldBeNull("a failed release is no rollback target");
        var diff = doc.QuerySelector("[data-testid='release-diff'] [data-testid='object-change'][data-kind='Deployment']").ShouldNotBeNull();
        diff.GetAttribute("data-change").ShouldBe("update");
        diff.QuerySelectorAll(".diff-added").Select(l => l.TextContent).ShouldContain(l => l.Contains($"{scenario.Service}:1.1.0-bad", StringComparison.Ordinal));
        doc.QuerySelectorAll("[data-testid='manifest']").Select(m => m.GetAttribute("data-kind")).ShouldContain("Deployment");
        doc.QuerySelectorAll("[data-testid='rollout-sample']").ShouldNotBeEmpty();
        doc.QuerySelectorAll("[data-testid='rollout-pod']").ShouldNotBeEmpty();
    }

    [Fact]
    public async Task ReleasePage_FailedRelease_ViewerSeesTheReasonButNoRollback()
    {
        var scenario = await deployments.FailedScenarioAsync();
        using var viewer = await App.SignInAsync(MatrixAppFactory.UserFor(Roles.Viewer));

        var doc = await PageAsync(viewer, $"/deployments/dev/{scenario.Failed}");

        doc.QuerySelector("[data-testid='release-failure-reason']")!.TextContent.ShouldContain("ImagePullBackOff");
        doc.QuerySelector("[data-testid='rollback-last-good']").ShouldBeNull();
    }

    [Fact]
    public async Task ReleasePage_GoodReleaseNoLongerRunning_OffersRollingBackToIt()
    {
        var scenario = await deployments.FailedScenarioAsync();
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);

        var doc = await PageAsync(developer, $"/deployments/dev/{scenario.Good}");

        doc.QuerySelector("[data-testid='release-state']")!.TextContent.ShouldBe("Succeeded");
        doc.QuerySelector("[data-testid='rollback-this']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='release-failure']").ShouldBeNull();
        doc.QuerySelector("[data-testid='release-first']").ShouldNotBeNull("#1 has nothing before it to compare with");
    }

    [Fact]
    public async Task ReleasePage_Rollback_NamesAndLinksTheReleaseItReapplied()
    {
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);
        var service = await DeployApi.CreateServiceAsync(developer, "dp-back");
        var good = await DeployApi.DeploySucceededAsync(developer, "dev", new { service, version = "1.0.0" });
        var goodId = good.GetProperty("id").GetGuid();
        var (_, answer) = await DeployApi.PostAsync(developer, $"/api/v1/environments/dev/deployments/{goodId}/rollback", new { });
        var rollback = answer.GetProperty("release").GetProperty("id").GetGuid();

        var doc = await PageAsync(developer, $"/deployments/dev/{rollback}");

        doc.QuerySelector("[data-testid='release-kind']")!.TextContent.Trim().ShouldBe("Rollback to #1 (1.0.0)");
        doc.QuerySelector("[data-testid='release-source']")!.GetAttribute("href").ShouldBe($"deployments/dev/{goodId}");
    }

    [Fact]
    public async Task ReleasePage_UnknownRelease_NotFound()
    {
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);

        var html = await developer.GetStringAsync(new Uri($"/deployments/dev/{Guid.NewGuid()}", UriKind.Relative));

        html.ShouldContain("Release not found");
    }

    [Fact]
    public async Task ReleasesList_ShowsTheEnvironmentsReleases_FilteredByServiceFromTheUrl()
    {
        var scenario = await deployments.FailedScenarioAsync();
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);

        var doc = await PageAsync(developer, $"/deployments?env=dev&service={scenario.Service}");
        var all = await PageAsync(developer, "/deployments?env=dev");

        doc.QuerySelector("[data-testid='nav-deployments']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='deployments-environment']")!.TextContent.ShouldBe("dev");
        doc.QuerySelector("[data-testid='deploy-link']")!.GetAttribute("href").ShouldBe($"deploy?env=dev&service={scenario.Service}");
        var rows = doc.QuerySelectorAll("[data-testid='releases-grid'] tbody tr").ToList();
        rows.Count.ShouldBe(2);
        rows[0].QuerySelector("[data-testid='release-link']")!.GetAttribute("href").ShouldBe($"deployments/dev/{scenario.Failed}");
        rows[0].QuerySelector("[data-testid='release-link']")!.TextContent.ShouldBe("#2");
        rows[0].QuerySelector("[data-testid='release-state']")!.TextContent.ShouldBe("Failed");
        rows[0].QuerySelector("[data-testid='release-failure']")!.TextContent.ShouldBe("ImagePullBackOff");
        rows[0].TextContent.ShouldContain(DeploymentsAppFactory.Developer);
        rows[1].QuerySelector("[data-testid='release-version']")!.TextContent.ShouldBe("1.0.0");
        rows[1].QuerySelector("[data-testid='release-state']")!.TextContent.ShouldBe("Succeeded");
        all.QuerySelectorAll("[data-testid='release-link']").Count().ShouldBeGreaterThanOrEqualTo(2);
        all.QuerySelector($"[data-testid='release-link'][href='deployments/dev/{scenario.Good}']").ShouldNotBeNull();
    }

    [Fact]
    public async Task ReleasesList_ViewerMayNotDeploy_DisabledDeployButton()
    {
        using var viewer = await App.SignInAsync(MatrixAppFactory.UserFor(Roles.Viewer));

        var doc = await PageAsync(viewer, "/deployments?env=dev");

        doc.QuerySelector("[data-testid='deploy-link']").ShouldBeNull();
        doc.QuerySelector("[data-testid='deploy-disabled']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Approvals_DeployRequest_ShowsDeployAndLinksToTheRelease()
    {
        using var op = await App.SignInAsync(DeploymentsAppFactory.Operator);
        var service = await DeployApi.CreateServiceAsync(op, "dp-approve");
        var release = await DeployApi.DeployAsync(op, "prod", new { service, version = "3.0.0" });
        var id = release.GetProperty("id").GetGuid();
        using var admin = await App.SignInAsync("admin");

        var approvals = await PageAsync(admin, "/approvals");
        var page = await PageAsync(admin, $"/deployments/prod/{id}");

        var card = approvals.QuerySelectorAll("[data-testid='approval-pending']")
            .Single(c => c.QuerySelector("[data-testid='approval-release']")?.GetAttribute("href") == $"deployments/prod/{id}");
        card.QuerySelector("[data-testid='approval-action']")!.TextContent.ShouldContain("Deploy to");
        card.QuerySelector("[data-testid='approval-release']")!.TextContent.ShouldBe($"{service} #1 (3.0.0)");
        card.QuerySelector("[data-testid='approve']").ShouldNotBeNull("a PortalAdmin other than the requester may decide");
        page.QuerySelector("[data-testid='release-state']")!.TextContent.ShouldBe("Awaiting approval");
        page.QuerySelector("[data-testid='release-awaiting-approval']").ShouldNotBeNull();
    }

    [Fact]
    public async Task EnvironmentSettings_DeployApprovalAndAutoRollback_InTheApiAndOnTheSummary()
    {
        using var admin = await App.SignInAsync("admin");

        var prod = await admin.GetFromJsonAsync<JsonElement>("/api/v1/environments/prod");
        var dev = await admin.GetFromJsonAsync<JsonElement>("/api/v1/environments/dev");
        var page = await PageAsync(admin, "/environments/prod");

        (prod.GetProperty("requireDeployApproval").GetBoolean(), prod.GetProperty("autoRollback").GetBoolean()).ShouldBe((true, false));
        dev.GetProperty("requireDeployApproval").GetBoolean().ShouldBeFalse();
        page.QuerySelector("[data-testid='environment-deploy-approval']")!.TextContent.ShouldStartWith("required");
        page.QuerySelector("[data-testid='environment-auto-rollback']")!.TextContent.ShouldBe("off");
    }

    private static string? Value(IDocument doc, string id) => doc.QuerySelector($"input#{id}").ShouldNotBeNull($"input #{id}").GetAttribute("value");

    private static async Task<IDocument> PageAsync(HttpClient client, string path) =>
        new HtmlParser().ParseDocument(await client.GetStringAsync(new Uri(path, UriKind.Relative)));
}
