using System.Net.Http.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Portal.Core.Authorization;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Features.Environments;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Approvals;

/// <summary>The approvals page and the top bar's bell as the server first renders them.</summary>
public sealed class ApprovalsPageTests(MatrixAppFactory matrix) : IClassFixture<MatrixAppFactory>
{
    private static readonly string SecondAdmin = MatrixAppFactory.UserFor(Roles.PortalAdmin);

    [Fact]
    public async Task Approvals_SecondAdmin_GetsApproveAndRejectOnThePendingRequest()
    {
        using var admin = await matrix.App.SignInAsync("admin");
        var id = await ApprovalsApiTests.CreateProdAsync(admin, "pg-decide");
        using var second = await matrix.App.SignInAsync(SecondAdmin);

        var doc = await PageAsync(second, "/approvals");

        doc.QuerySelector("[data-testid='four-eyes-note']")!.TextContent.ShouldContain("You cannot approve your own request");
        var card = doc.QuerySelector($"[data-testid='approval-pending'][data-id='{id}']").ShouldNotBeNull();
        card.TextContent.ShouldContain("pg-decide");
        card.TextContent.ShouldContain("admin");
        card.QuerySelector("[data-testid='approve']").ShouldNotBeNull();
        card.QuerySelector("[data-testid='reject']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='approvals-history']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Approvals_Requester_SeesTheirRequestWithoutButtons()
    {
        using var admin = await matrix.App.SignInAsync("admin");
        var id = await ApprovalsApiTests.CreateProdAsync(admin, "pg-mine");

        var doc = await PageAsync(admin, "/approvals");

        var card = doc.QuerySelector($"[data-testid='approval-pending'][data-id='{id}']").ShouldNotBeNull();
        card.QuerySelector("[data-testid='own-request']").ShouldNotBeNull();
        card.QuerySelector("[data-testid='approve']").ShouldBeNull();
        card.QuerySelector("[data-testid='reject']").ShouldBeNull();
    }

    [Fact]
    public async Task Approvals_DecidedRequest_MovesToTheHistory()
    {
        using var admin = await matrix.App.SignInAsync("admin");
        var id = await ApprovalsApiTests.CreateProdAsync(admin, "pg-history");
        using var second = await matrix.App.SignInAsync(SecondAdmin);
        (await second.PostAsJsonAsync($"/api/v1/approvals/{id}/reject", new { comment = "duplicate" })).EnsureSuccessStatusCode();

        var doc = await PageAsync(second, "/approvals");

        doc.QuerySelector($"[data-testid='approval-pending'][data-id='{id}']").ShouldBeNull();
        doc.QuerySelectorAll("[data-testid='approvals-history'] tbody tr").Select(r => r.TextContent)
            .ShouldContain(t => t.Contains("pg-history", StringComparison.Ordinal) && t.Contains("Rejected", StringComparison.Ordinal) && t.Contains("duplicate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nav_ListsApprovals()
    {
        using var viewer = await matrix.App.SignInAsync("viewer");

        var doc = await PageAsync(viewer, "/");

        doc.QuerySelector("[data-testid='nav-approvals']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Bell_ListsWhatTheUserMayExtendOrDecide()
    {
        using var admin = await matrix.App.SignInAsync("admin");
        await ApprovalsApiTests.CreateProdAsync(admin, "bell-prod");
        using var developer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));
        (await developer.PostAsJsonAsync("/api/v1/environments", new
        {
            name = "bell-dev", displayName = "Bell", tier = "dev", owningTeam = "payments", costCentre = "cc-1001", timeToLiveHours = 3,
        })).EnsureSuccessStatusCode();
        using var second = await matrix.App.SignInAsync(SecondAdmin);

        var forDeveloper = Bell(await PageAsync(developer, "/"));
        var forSecond = Bell(await PageAsync(second, "/"));

        forDeveloper.Expiring.ShouldContain(a => a.TextContent.Contains("bell-dev", StringComparison.Ordinal) && a.GetAttribute("href") == "environments/bell-dev?env=bell-dev");
        forDeveloper.Approvals.ShouldBeEmpty("a Developer decides no request");
        forDeveloper.Count.ShouldBe(forDeveloper.Expiring.Count);
        forSecond.Approvals.ShouldContain(a => a.TextContent.Contains("bell-prod", StringComparison.Ordinal) && a.GetAttribute("href") == "approvals");
        forSecond.Expiring.ShouldContain(a => a.TextContent.Contains("bell-dev", StringComparison.Ordinal), "a PortalAdmin may extend every environment");
        forSecond.Count.ShouldBe(forSecond.Expiring.Count + forSecond.Approvals.Count);
    }

    [Fact]
    public async Task Bell_NothingForTheUser_NoCount()
    {
        using var viewer = await matrix.App.SignInAsync("viewer");

        var doc = await PageAsync(viewer, "/");

        doc.QuerySelector("[data-testid='notification-bell']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='notification-count']").ShouldBeNull();
        doc.QuerySelector("[data-testid='notification-list']")!.HasAttribute("hidden").ShouldBeTrue();
        doc.QuerySelector("[data-testid='notification-toggle']")!.GetAttribute("aria-label").ShouldBe("Notifications: 0");
    }

    private static (int Count, List<IElement> Expiring, List<IElement> Approvals) Bell(IDocument doc)
    {
        var count = doc.QuerySelector("[data-testid='notification-count']")?.TextContent;
        return (count is null ? 0 : int.Parse(count, System.Globalization.CultureInfo.InvariantCulture),
            [.. doc.QuerySelectorAll("[data-testid='notification-expiry']")],
            [.. doc.QuerySelectorAll("[data-testid='notification-approval']")]);
    }

    private static async Task<IDocument> PageAsync(HttpClient client, string path) =>
        new HtmlParser().ParseDocument(await client.GetStringAsync(new Uri(path, UriKind.Relative)));
}
