using AngleSharp.Html.Parser;
using Portal.Core.Authorization;
using Portal.Core.Provisioning;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Jobs;

/// <summary>The jobs pages as the server first renders them, for a signed-in user, against the sandbox.</summary>
public sealed class JobsPageTests(JobsAppFactory jobs) : IClassFixture<JobsAppFactory>
{
    [Fact]
    public async Task JobsPage_ListsTheJobWithItsStateAndProgress_FilteredFromTheUrl()
    {
        using var developer = await jobs.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));
        var (name, id) = await JobsAppFactory.CreateEnvironmentAsync(developer, "jobs-page");
        using var viewer = await jobs.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Viewer));

        var all = new HtmlParser().ParseDocument(await viewer.GetStringAsync(new Uri("/jobs", UriKind.Relative)));
        var filtered = new HtmlParser().ParseDocument(await viewer.GetStringAsync(new Uri($"/jobs?environment={name}&state=succeeded", UriKind.Relative)));
        var none = new HtmlParser().ParseDocument(await viewer.GetStringAsync(new Uri($"/jobs?environment={name}&state=failed", UriKind.Relative)));

        all.QuerySelector("[data-testid='page-jobs']").ShouldNotBeNull();
        all.QuerySelector("[data-testid='nav-jobs']").ShouldNotBeNull();
        all.QuerySelector($"a[href='jobs/{id}']").ShouldNotBeNull().TextContent.ShouldBe($"Create environment {name}");
        var rows = filtered.QuerySelectorAll("[data-testid='jobs-grid'] tbody tr").Select(r => r.TextContent).ToList();
        var row = rows.ShouldHaveSingleItem();
        row.ShouldContain($"Create environment {name}");
        row.ShouldContain("Succeeded");
        row.ShouldContain("7 of 7 steps");
        row.ShouldContain(MatrixAppFactory.UserFor(Roles.Developer));
        none.QuerySelector($"a[href='jobs/{id}']").ShouldBeNull();
        none.QuerySelector("[data-testid='jobs-grid']")!.TextContent.ShouldContain("No jobs match.");
    }

    [Fact]
    public async Task JobPage_ShowsHeaderStepsAndLog()
    {
        using var developer = await jobs.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));
        var (name, id) = await JobsAppFactory.CreateEnvironmentAsync(developer, "jobs-detail");

        var doc = new HtmlParser().ParseDocument(await developer.GetStringAsync(new Uri($"/jobs/{id}", UriKind.Relative)));

        doc.QuerySelector("[data-testid='job-description']")!.TextContent.ShouldBe($"Create environment {name}");
        doc.QuerySelector("[data-testid='job-state']")!.TextContent.ShouldBe("Succeeded");
        doc.QuerySelector("[data-testid='job-environment']")!.GetAttribute("href").ShouldBe($"environments/{name}");
        doc.QuerySelector("[data-testid='job-requested-by']")!.TextContent.ShouldBe(MatrixAppFactory.UserFor(Roles.Developer));
        doc.QuerySelector("[data-testid='job-progress-text']")!.TextContent.ShouldBe("7 of 7 steps");
        var steps = doc.QuerySelectorAll("[data-testid='job-step']");
        steps.Select(s => s.GetAttribute("data-step")).ShouldBe([.. ProvisioningParts.All, EnvironmentJobKinds.MarkReady]);
        steps.ShouldAllBe(s => s.QuerySelector("[data-testid='job-step-state']")!.TextContent == "Succeeded");
        steps.ShouldAllBe(s => s.QuerySelector("[data-testid='job-step-attempts']")!.TextContent == "1");
        doc.QuerySelectorAll("[data-testid='job-log-line']").Select(l => l.TextContent).ShouldContain(l => l.Contains("[namespace] Started namespace.", StringComparison.Ordinal));
        doc.QuerySelector("[data-testid='job-error']").ShouldBeNull();
        doc.QuerySelector("[data-testid='job-cancel']").ShouldBeNull("a finished job cannot be cancelled");
        doc.QuerySelector("[data-testid='job-retry']").ShouldBeNull("only a failed job can be retried");
    }

    [Theory]
    [InlineData(Roles.Developer, true)]   // the environment's creator, so its Owner
    [InlineData(Roles.Operator, true)]
    [InlineData(Roles.Viewer, false)]
    public async Task JobPage_UnfinishedJob_CancelShownOnlyToThoseWhoMayCancel(string role, bool shown)
    {
        using var app = JobsAppFactory.WithSchedulerOff();
        using var creator = await app.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));
        var (_, id) = await JobsAppFactory.CreateEnvironmentAsync(creator, "jobs-buttons", "queued");
        using var client = await app.SignInAsync(MatrixAppFactory.UserFor(role));

        var doc = new HtmlParser().ParseDocument(await client.GetStringAsync(new Uri($"/jobs/{id}", UriKind.Relative)));

        doc.QuerySelector("[data-testid='job-state']")!.TextContent.ShouldBe("Queued");
        (doc.QuerySelector("[data-testid='job-cancel']") is not null).ShouldBe(shown);
        doc.QuerySelector("[data-testid='job-retry']").ShouldBeNull("only a failed job can be retried");
        doc.QuerySelector("[data-testid='job-progress-text']")!.TextContent.ShouldBe("0 of 7 steps");
        doc.QuerySelectorAll("[data-testid='job-step-state']").ShouldAllBe(s => s.TextContent == "Pending");
    }

    [Fact]
    public async Task JobPage_ViewerOfAnotherEnvironment_NotFound()
    {
        using var developer = await jobs.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));
        var (name, id) = await JobsAppFactory.CreateEnvironmentAsync(developer, "jobs-secret");
        using var outsider = await jobs.App.SignInAsync(JobsAppFactory.Outsider);

        var html = await outsider.GetStringAsync(new Uri($"/jobs/{id}", UriKind.Relative));

        html.ShouldContain("Job not found");
        html.ShouldNotContain(name);
        html.ShouldNotContain("data-testid=\"job-step\"");
    }
}
