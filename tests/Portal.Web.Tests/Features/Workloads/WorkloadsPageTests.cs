using AngleSharp.Html.Parser;
using Portal.Core.Authorization;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Workloads;

/// <summary>The workloads page as the server first renders it, against the sandbox: configuration, service filter, access.</summary>
public sealed class WorkloadsPageTests(SandboxAppFactory sandbox) : IClassFixture<SandboxAppFactory>
{
    [Fact]
    public async Task Configuration_ListsSecretNamesAndKeys_NeverValues()
    {
        using var client = await sandbox.App.SignInAsync(MatrixAppFactory.UserFor(Roles.PortalAdmin));

        var html = await client.GetStringAsync(new Uri("/environments/dev/workloads", UriKind.Relative));

        var rows = new HtmlParser().ParseDocument(html).QuerySelectorAll("[data-testid='config-row']").Select(r => r.TextContent).ToList();
        rows.ShouldContain(r => r.Contains("payments-api-secrets", StringComparison.Ordinal) && r.Contains("DATABASE_PASSWORD", StringComparison.Ordinal) && r.Contains("API_KEY", StringComparison.Ordinal));
        rows.ShouldContain(r => r.Contains("payments-api-config", StringComparison.Ordinal) && r.Contains("LOG_LEVEL", StringComparison.Ordinal));
        html.ShouldNotContain(Convert.ToBase64String("payments-api-dev-db-password"u8.ToArray()));
        html.ShouldNotContain("payments-api-dev-db-password");
        html.ShouldNotContain("sk_dev_payments-api");
    }

    [Fact]
    public async Task ServiceFilter_ShowsOnlyThatServicesDeploymentAndPods()
    {
        using var client = await sandbox.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Viewer));
        await WorkloadsApiTests.EventuallyAsync(async () =>
        {
            var pods = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/environments/prod/pods", UriKind.Relative))).RootElement;
            return pods.EnumerateArray().Count(p => p.GetProperty("deployment").GetString() == "payments-api") == 3 ? pods : null;
        });
        await client.GetStringAsync(new Uri("/api/v1/environments/prod/workloads", UriKind.Relative));   // the deployments cache is warm too

        var html = await client.GetStringAsync(new Uri("/environments/prod/workloads?service=payments-api", UriKind.Relative));

        var doc = new HtmlParser().ParseDocument(html);
        doc.QuerySelector("[data-testid='service-filter']")!.TextContent.ShouldBe("payments-api");
        doc.QuerySelector("[data-testid='pods-count']")!.TextContent.ShouldBe("3 of 3 pods");
        var deployments = doc.QuerySelectorAll("[data-testid='deployments-grid'] tbody tr").Select(r => r.TextContent).ToList();
        deployments.Count.ShouldBe(1);
        deployments[0].ShouldContain("payments-api");
    }
}
