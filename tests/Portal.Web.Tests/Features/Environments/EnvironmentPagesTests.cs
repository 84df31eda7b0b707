using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Portal.Core.Authorization;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Hosting;
using Portal.Web.Tests.Features.Approvals;

namespace Portal.Web.Tests.Features.Environments;

/// <summary>The new-environment form and an environment's page as the server first renders them: quota, expiry, job, approval.</summary>
public sealed class EnvironmentPagesTests(MatrixAppFactory matrix) : IClassFixture<MatrixAppFactory>
{
    [Fact]
    public async Task NewEnvironment_QuotaPrefilledWithTheTiersDefaults_PreviewFirst()
    {
        using var developer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));

        var doc = await PageAsync(developer, "/environments/new");

        doc.QuerySelector("input#quotaCpu")!.GetAttribute("value").ShouldBe("4");
        doc.QuerySelector("input#quotaMemory")!.GetAttribute("value").ShouldBe("8Gi");
        doc.QuerySelector("input#quotaPods")!.GetAttribute("value").ShouldBe("30");
        doc.QuerySelector("[data-testid='preview']")!.GetAttribute("type").ShouldBe("submit");
        doc.QuerySelector("[data-testid='create']").ShouldBeNull("creation comes after the preview");
        doc.QuerySelector("[data-testid='approval-note']").ShouldBeNull("dev needs no approval");
    }

    [Theory]
    [InlineData(3, "false")]
    [InlineData(1, "true")]
    public async Task Environment_ExpiringSoon_BannerWithExtend(int hours, string urgent)
    {
        using var developer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));
        var name = $"pg-ttl-{hours}";
        (await developer.PostAsJsonAsync("/api/v1/environments", new { name, displayName = name, tier = "dev", owningTeam = "payments", costCentre = "cc-1001", timeToLiveHours = hours }))
            .EnsureSuccessStatusCode();

        var doc = await PageAsync(developer, $"/environments/{name}");

        var banner = doc.QuerySelector("[data-testid='expiry-banner']").ShouldNotBeNull();
        banner.GetAttribute("data-urgent").ShouldBe(urgent);
        banner.QuerySelector("[data-testid='expiry-extend']").ShouldNotBeNull("its Owner may extend it");
        doc.QuerySelector("#extend-hours").ShouldNotBeNull();
    }

    [Fact]
    public async Task Environment_Created_ShowsQuotaAndLatestJob()
    {
        using var developer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));
        (await developer.PostAsJsonAsync("/api/v1/environments", PreviewApiTests.Body("pg-job", quota: new { cpu = "2", memory = "3Gi", pods = 7 })))
            .EnsureSuccessStatusCode();

        var doc = await PageAsync(developer, "/environments/pg-job");

        doc.QuerySelector("[data-testid='environment-quota']")!.TextContent.ShouldBe("2 CPU, 3Gi memory, 7 pods");
        var link = doc.QuerySelector("[data-testid='latest-job-link']").ShouldNotBeNull();
        link.GetAttribute("href")!.ShouldStartWith("jobs/");
        Guid.TryParse(link.GetAttribute("href")!["jobs/".Length..], out _).ShouldBeTrue();
        link.TextContent.ShouldContain("pg-job");
        doc.QuerySelector("[data-testid='latest-job-state']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='expiry-banner']").ShouldBeNull("72 h is outside the warning window");
        doc.QuerySelector("[data-testid='awaiting-approval']").ShouldBeNull();
    }

    [Fact]
    public async Task Environment_SeededWithoutQuota_ShowsTheTiersDefault()
    {
        using var viewer = await matrix.App.SignInAsync("viewer");

        var doc = await PageAsync(viewer, "/environments/staging");

        doc.QuerySelector("[data-testid='environment-quota']")!.TextContent.ShouldContain("(the tier's default)");
    }

    [Fact]
    public async Task Environment_ProdAwaitingApproval_SaysSoWithALinkToApprovals()
    {
        using var admin = await matrix.App.SignInAsync("admin");
        await ApprovalsApiTests.CreateProdAsync(admin, "pg-prod");

        var doc = await PageAsync(admin, "/environments/pg-prod");

        doc.QuerySelector("[data-testid='environment-status']")!.TextContent.ShouldBe("AwaitingApproval");
        var note = doc.QuerySelector("[data-testid='awaiting-approval']").ShouldNotBeNull();
        note.TextContent.ShouldContain("second person");
        note.QuerySelector("[data-testid='approvals-link']")!.GetAttribute("href").ShouldBe("approvals");
        doc.QuerySelector("[data-testid='latest-job']").ShouldBeNull("no job runs before the approval");
    }

    [Fact]
    public async Task Environment_ProdDestroyRequested_WaitsForApproval()
    {
        using var admin = await matrix.App.SignInAsync("admin");
        var destroy = await admin.DeleteAsync(new Uri("/api/v1/environments/prod", UriKind.Relative));
        destroy.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted);
        (await destroy.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().ShouldBe("destroyRequested");

        var doc = await PageAsync(admin, "/environments/prod");

        doc.QuerySelector("[data-testid='awaiting-approval']").ShouldNotBeNull().TextContent.ShouldContain("Destroying");
    }

    private static async Task<IDocument> PageAsync(HttpClient client, string path) =>
        new HtmlParser().ParseDocument(await client.GetStringAsync(new Uri(path, UriKind.Relative)));
}
