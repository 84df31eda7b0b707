using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Catalog;

/// <summary>/api/v1/services: who may register and change services, field-named errors, versions and their history.</summary>
public sealed class ServicesApiTests(MatrixAppFactory matrix) : IClassFixture<MatrixAppFactory>
{
    [Fact]
    public async Task Post_AsDeveloper_201WithVersion1AndOneAuditRecord()
    {
        using var developer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));

        using var response = await developer.PostAsJsonAsync("/api/v1/services", CatalogTestData.Body("api-created"));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        response.Headers.Location!.ToString().ShouldBe("/api/v1/services/api-created");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("version").GetInt32().ShouldBe(1);
        body.GetProperty("createdBy").GetString().ShouldBe("m-developer");
        body.GetProperty("ports")[0].GetProperty("port").GetInt32().ShouldBe(8080);
        var records = await AuditAsync("services.create", "m-developer");
        var record = records.Single(r => r.Target == "api-created");
        record.Outcome.ShouldBe(AuditOutcome.Succeeded);
        (await developer.GetFromJsonAsync<JsonElement>("/api/v1/services/api-created")).GetProperty("owningTeam").GetString().ShouldBe("payments");
    }

    [Fact]
    public async Task Post_AsViewer_403ProblemAndNothingStored()
    {
        using var viewer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Viewer));

        using var response = await viewer.PostAsJsonAsync("/api/v1/services", CatalogTestData.Body("api-viewer"));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("permission").GetString().ShouldBe(Permissions.ServicesManage);
        (await viewer.GetAsync(new Uri("/api/v1/services/api-viewer", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await AuditAsync("services.create", "m-viewer")).ShouldContain(r => r.Target == "api-viewer" && r.Outcome == AuditOutcome.Denied);
    }

    [Fact]
    public async Task Post_InvalidBody_400NamingEachField()
    {
        using var developer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));
        const string json = """
            {"name":"api-invalid","owningTeam":"payments","imageRepository":"registry.portal.test/x:1.0",
             "ports":[{"name":"http","port":0,"protocol":"TCP"}],"resources":{"cpuRequest":"lots","cpuLimit":"","memoryRequest":"128Mi","memoryLimit":""},
             "secrets":[{"envName":"DB_PASSWORD","secret":"Not_A_Name","key":"password"}]}
            """;

        using var response = await developer.PostAsync(new Uri("/api/v1/services", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var fields = errors.EnumerateObject().Select(e => e.Name).ToList();
        fields.ShouldBe(["imageRepository", "ports[0].port", "resources.cpuRequest", "secrets[0].secret"], ignoreOrder: true);
        errors.GetProperty("imageRepository")[0].GetString()!.ShouldContain("tag");
        (await developer.GetAsync(new Uri("/api/v1/services/api-invalid", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Put_StaleExpectedVersion_409AndTheNewerVersionStays()
    {
        using var developer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));
        await CatalogTestData.CreateAsync(developer, "api-stale");
        (await developer.PutAsJsonAsync("/api/v1/services/api-stale", Update("api-stale", "orders", expectedVersion: 1))).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var stale = await developer.PutAsJsonAsync("/api/v1/services/api-stale", Update("api-stale", "web", expectedVersion: 1));

        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        stale.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("version 2");
        var current = await developer.GetFromJsonAsync<JsonElement>("/api/v1/services/api-stale");
        (current.GetProperty("version").GetInt32(), current.GetProperty("owningTeam").GetString()).ShouldBe((2, "orders"));
    }

    [Fact]
    public async Task History_AfterAnUpdate_ListsTheChangedFieldsNewestFirst()
    {
        using var developer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));
        await CatalogTestData.CreateAsync(developer, "api-history");
        (await developer.PutAsJsonAsync("/api/v1/services/api-history", Update("api-history", "orders", expectedVersion: 1))).EnsureSuccessStatusCode();

        var history = (await developer.GetFromJsonAsync<JsonElement>("/api/v1/services/api-history/history")).EnumerateArray().ToList();

        history.Select(h => h.GetProperty("version").GetInt32()).ShouldBe([2, 1]);
        history[0].GetProperty("changed").EnumerateArray().Select(c => c.GetString()).ShouldBe(["owningTeam", "description", "defaultReplicas"], ignoreOrder: true);
        history[0].GetProperty("changedBy").GetString().ShouldBe("m-developer");
        history[1].GetProperty("changed").EnumerateArray().Select(c => c.GetString()).ShouldBe(["created"]);
    }

    [Theory]
    [InlineData("/api/v1/services/no-such-service")]
    [InlineData("/api/v1/services/no-such-service/history")]
    public async Task Get_UnknownService_404Problem(string path)
    {
        using var viewer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Viewer));

        using var response = await viewer.GetAsync(new Uri(path, UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    private static object Update(string name, string team, int expectedVersion) => new
    {
        name,
        owningTeam = team,
        description = $"now owned by {team}",
        imageRepository = $"registry.portal.test/payments/{name}",
        ports = new[] { new { name = "http", port = 8080, protocol = "TCP" } },
        healthCheckPath = "/healthz",
        defaultReplicas = 3,
        expectedVersion,
    };

    private async Task<IReadOnlyList<AuditRecord>> AuditAsync(string action, string actor) =>
        (await matrix.App.Services.GetRequiredService<IAuditReader>()
            .QueryAsync(new AuditQuery { Action = action, Actor = actor, Take = 200 }, null, true, CancellationToken.None)).Records;
}
