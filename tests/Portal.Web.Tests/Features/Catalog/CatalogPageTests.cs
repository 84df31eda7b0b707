using System.Net;
using AngleSharp.Dom;
using Portal.Core.Authorization;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Features.Workloads;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Catalog;

/// <summary>
/// /services and the service forms as the server first renders them: mostly without a cluster (so every environment's
/// cluster is unreachable), once with the sandbox. The services, one column per environment, the filter from the URL,
/// the register button for those who may.
/// </summary>
public sealed class CatalogPageTests(MatrixAppFactory matrix, SandboxAppFactory sandbox) : IClassFixture<MatrixAppFactory>, IClassFixture<SandboxAppFactory>
{
    private static readonly string[] Seeded = ["checkout-web", "inventory-api", "notifications", "orders-worker", "payments-api"];

    [Fact]
    public async Task Catalog_AsDeveloper_ListsSeededAndCreatedServicesWithRegisterButton()
    {
        using var developer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));
        await CatalogTestData.CreateAsync(developer, "page-listed", team: "search");

        var doc = await CatalogTestData.PageAsync(developer, "/services");

        var names = doc.QuerySelectorAll("[data-testid='service-link']").Select(a => a.TextContent).ToList();
        names.ShouldBe([.. Seeded, "page-listed"], ignoreOrder: true);
        var link = doc.QuerySelectorAll("[data-testid='service-link']").Single(a => a.TextContent == "page-listed");
        link.GetAttribute("href").ShouldBe("services/page-listed");
        link.Closest("tr")!.TextContent.ShouldContain("search");
        doc.QuerySelector("[data-testid='register-service']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Catalog_WithTheSandboxCluster_VersionAndHealthFromTheCluster()
    {
        using var viewer = await sandbox.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Viewer));

        // The sandbox's demo workloads (labelled as Portal's) start with no pod ready; the controllers catch up in real time.
        var doc = await EventuallyAsync(viewer, "/services", d => Health(Cell(d, "payments-api", "prod")) == "healthy");

        doc.QuerySelectorAll("[data-testid='service-link']").Select(a => a.TextContent).ShouldBe(Seeded, ignoreOrder: true);
        doc.QuerySelector("[data-testid='unreachable-banner']").ShouldBeNull("the sandbox answers for every environment");
        doc.QuerySelectorAll("[data-testid='stage-cell']").Length.ShouldBe(Seeded.Length * 4);
        var prod = Cell(doc, "payments-api", "prod");
        prod.QuerySelector("[data-testid='stage-version'] code")!.TextContent.ShouldBe("1.4.2");
        prod.QuerySelector("[data-testid='stage-health']")!.TextContent.ShouldBe("3/3 ready");
        Cell(doc, "orders-worker", "staging").QuerySelector("[data-testid='stage-version'] code")!.TextContent.ShouldBe("2.7.1");
    }

    [Fact]
    public async Task Catalog_AsViewer_NoRegisterButton()
    {
        using var viewer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Viewer));

        var doc = await CatalogTestData.PageAsync(viewer, "/services");

        doc.QuerySelectorAll("[data-testid='service-link']").Select(a => a.TextContent).ShouldContain("payments-api");
        doc.QuerySelector("[data-testid='register-service']").ShouldBeNull();
    }

    [Fact]
    public async Task Catalog_ClustersUnreachable_BannerNamesThemAndColumnsFollowTheTiers()
    {
        using var viewer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Viewer));
        await CatalogTestData.AddReleaseAsync(matrix.App, "inventory-api", "staging", 1, "2.3.4");

        var doc = await CatalogTestData.PageAsync(viewer, "/services");

        var banner = doc.QuerySelector("[data-testid='unreachable-banner']").ShouldNotBeNull();
        foreach (var env in new[] { "dev", "test", "staging", "prod" })
        {
            banner.TextContent.ShouldContain(env);
        }

        var headers = doc.QuerySelectorAll("[data-testid='catalog-grid'] thead th").Select(th => th.TextContent.Trim()).ToList();
        headers.ShouldBe(["Service", "Team", "Description", "dev", "test", "staging", "prod"]);
        var row = doc.QuerySelectorAll("[data-testid='catalog-grid'] tbody tr").Single(r => r.QuerySelector("[data-testid='service-link']")?.TextContent == "inventory-api");
        var staging = row.QuerySelector("[data-testid='stage-cell'][data-environment='staging']").ShouldNotBeNull();
        staging.QuerySelector("[data-testid='stage-version']")!.TextContent.ShouldContain("2.3.4");
        staging.QuerySelector("[data-testid='stage-release-state']")!.TextContent.ShouldBe("Succeeded");
        staging.QuerySelector("[data-testid='stage-health']")!.GetAttribute("data-health").ShouldBe("unknown");
    }

    [Theory]
    [InlineData("platform", "notifications")]
    [InlineData("ORDERS-w", "orders-worker")]
    public async Task Catalog_QueryInUrl_FiltersByNameOrTeam(string q, string only)
    {
        using var viewer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Viewer));

        var doc = await CatalogTestData.PageAsync(viewer, $"/services?q={Uri.EscapeDataString(q)}");

        doc.QuerySelectorAll("[data-testid='service-link']").Select(a => a.TextContent).ShouldBe([only]);
        doc.QuerySelector("[data-testid='catalog-filter']")!.GetAttribute("value").ShouldBe(q);
    }

    [Fact]
    public async Task NavMenu_HasTheCatalogEntry()
    {
        using var viewer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Viewer));

        var doc = await CatalogTestData.PageAsync(viewer, "/");

        var entry = doc.QuerySelector("[data-testid='nav-catalog']").ShouldNotBeNull();
        entry.TextContent.ShouldContain("Catalog");
        entry.QuerySelector("a")!.GetAttribute("href")!.ShouldStartWith("services?");
    }

    [Fact]
    public async Task NewService_RendersLabelledInputsAndTheDefaults()
    {
        using var developer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));

        var doc = await CatalogTestData.PageAsync(developer, "/services/new");

        foreach (var id in new[] { "name", "owningTeam", "description", "repositoryUrl", "imageRepository", "healthCheckPath", "defaultReplicas",
                     "cpuRequest", "cpuLimit", "memoryRequest", "memoryLimit", "ingressHostPattern", "runbook", "dashboard" })
        {
            doc.QuerySelector($"label[for='{id}']").ShouldNotBeNull($"a label for {id}");
            doc.QuerySelector($"input#{id}, textarea#{id}").ShouldNotBeNull($"the input {id}");
            doc.QuerySelectorAll($"#{id}").Length.ShouldBe(1, $"one element is {id}");
        }

        doc.QuerySelector("#cpuRequest")!.GetAttribute("value").ShouldBe("100m");
        doc.QuerySelector("#memoryLimit")!.GetAttribute("value").ShouldBe("256Mi");
        doc.QuerySelectorAll("[data-testid='ports-row']").Length.ShouldBe(1);
        doc.QuerySelector("#ports-0-name")!.GetAttribute("value").ShouldBe("http");
        doc.QuerySelector("input#ports-0-port")!.GetAttribute("aria-label").ShouldBe("Port 1: number");
        doc.QuerySelectorAll("#defaultReplicas").Length.ShouldBe(1, "the label's target is the input alone");
        doc.QuerySelector("[data-testid='submit']")!.GetAttribute("type").ShouldBe("submit");
        doc.QuerySelector("[data-testid='ports-add']")!.GetAttribute("type").ShouldBe("button", "adding a row must not submit the form");
    }

    [Fact]
    public async Task NewService_AsViewer_SaysWhyAndShowsNoForm()
    {
        using var viewer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Viewer));

        var doc = await CatalogTestData.PageAsync(viewer, "/services/new");

        doc.QuerySelector("[data-testid='not-allowed']").ShouldNotBeNull();
        doc.QuerySelector("#owningTeam").ShouldBeNull();
    }

    [Fact]
    public async Task EditService_FormHoldsTheCurrentDefinitionWithoutAName()
    {
        using var developer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));

        var doc = await CatalogTestData.PageAsync(developer, "/services/payments-api/edit");

        doc.QuerySelector("#name").ShouldBeNull("a service's name does not change");
        doc.QuerySelector("#owningTeam")!.GetAttribute("value").ShouldBe("payments");
        doc.QuerySelector("#imageRepository")!.GetAttribute("value").ShouldBe("registry.portal.test/payments/payments-api");
        doc.QuerySelector("#ingressHostPattern")!.GetAttribute("value").ShouldBe("{service}.{environment}.portal.test");
        doc.QuerySelector("#runbook")!.GetAttribute("value").ShouldBe("https://wiki.portal.test/runbooks/payments-api");
        doc.QuerySelector("[data-testid='service-version']")!.TextContent.ShouldBe("version 1");
    }

    [Theory]
    [InlineData("/services/no-such-service")]
    [InlineData("/services/no-such-service/edit")]
    public async Task UnknownService_NotFoundPage(string path)
    {
        using var viewer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Viewer));

        using var response = await viewer.GetAsync(new Uri(path, UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("data-testid=\"not-found\"");
    }

    private static IElement Cell(IDocument doc, string service, string environment) =>
        doc.QuerySelectorAll("[data-testid='catalog-grid'] tbody tr")
            .Single(r => r.QuerySelector("[data-testid='service-link']")?.TextContent == service)
            .QuerySelector($"[data-testid='stage-cell'][data-environment='{environment}']")!;

    private static string? Health(IElement cell) => cell.QuerySelector("[data-testid='stage-health']")?.GetAttribute("data-health");

    /// <summary>Reads the page until <paramref name="ready"/> holds, for up to 30 s.</summary>
    private static async Task<IDocument> EventuallyAsync(HttpClient client, string path, Func<IDocument, bool> ready)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var doc = await CatalogTestData.PageAsync(client, path);
            if (ready(doc))
            {
                return doc;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"{path} did not reach the expected state within 30 s");
            }

            await Task.Delay(250);
        }
    }
}
