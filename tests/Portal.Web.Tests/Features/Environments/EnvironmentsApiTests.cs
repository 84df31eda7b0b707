using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Audit;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Environments;

public sealed class EnvironmentsApiTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>, IAsyncLifetime
{
    private HttpClient _admin = default!;

    public async Task InitializeAsync() => _admin = await factory.SignInAsync("admin");

    public Task DisposeAsync()
    {
        _admin.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { """{"name":"Bad_Name","displayName":"x","tier":"dev","owningTeam":"t","costCentre":"c"}""", "name" },
        { """{"name":"ok-1","displayName":"x","tier":"qa","owningTeam":"t","costCentre":"c"}""", "tier" },
        { $$"""{"name":"ok-2","displayName":"{{new string('x', 201)}}","tier":"dev","owningTeam":"t","costCentre":"c"}""", "displayName" },
        { $$"""{"name":"{{new string('a', 64)}}","displayName":"x","tier":"dev","owningTeam":"t","costCentre":"c"}""", "name" },
        { """{"name":"ok-3","displayName":"x","tier":"dev","owningTeam":"t","costCentre":"c","timeToLiveHours":"soon"}""", "timeToLiveHours" },
        { """{"name":"ok-4","displayName":"x","tier":"dev","owningTeam":"t","costCentre":"c","labels":{"-x":"y"}}""", "labels.-x" },
        { """{"name":"ok-5",""", "body" },
        { """{"name":"ok-6","displayName":"x","tier":"dev","owningTeam":"t","costCentre":"c","labels":{"a":null}}""", "labels.a" },
        { """{"name":"ok-7","displayName":"x","tier":"dev","owningTeam":"t","costCentre":"c","timeToLiveHours":0}""", "timeToLiveHours" },
        { """{"name":"kube-system","displayName":"x","tier":"dev","owningTeam":"t","costCentre":"c"}""", "name" },
        { """{"name":"ok-8","displayName":"x","tier":"dev","owningTeam":"t","costCentre":"c","cluster":"someone-elses"}""", "cluster" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Post_BadInput_400NamingTheFieldAndNothingStored(string json, string field)
    {
        var before = await CountAsync();

        using var response = await _admin.PostAsync(new Uri("/api/v1/environments", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var body = await response.Content.ReadAsStringAsync();
        JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(body);
        body.ShouldNotContain("   at ");
        (await CountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Post_InvalidInput_OneInvalidRecord()
    {
        var before = await AuditTotalAsync();

        (await _admin.PostAsJsonAsync("/api/v1/environments", new { name = "Bad_Name", displayName = "x", tier = "dev", owningTeam = "t", costCentre = "c" }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var page = await factory.Services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery { Take = 1 }, null, true, CancellationToken.None);
        page.Total.ShouldBe(before + 1);
        (page.Records[0].Action, page.Records[0].Outcome).ShouldBe(("environments.create", AuditOutcome.Invalid));
    }

    private async Task<int> AuditTotalAsync() =>
        (await factory.Services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery { Take = 1 }, null, true, CancellationToken.None)).Total;

    [Fact]
    public async Task Post_DeveloperChoosingAnotherNamespace_RefusedAdminMay()
    {
        using var dev = await factory.SignInAsync("dev");

        using var takeover = await dev.PostAsJsonAsync("/api/v1/environments", new { name = "sneaky", displayName = "x", tier = "dev", owningTeam = "t", costCentre = "c", @namespace = "prod" });

        takeover.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await takeover.Content.ReadAsStringAsync()).ShouldContain("only a PortalAdmin may map an environment to a namespace");
        (await _admin.PostAsJsonAsync("/api/v1/environments", new { name = "legacy-app", displayName = "x", tier = "dev", owningTeam = "t", costCentre = "c", @namespace = "legacy" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Post_NamespaceAlreadyTaken_409()
    {
        (await _admin.PostAsJsonAsync("/api/v1/environments", new { name = "holder", displayName = "x", tier = "dev", owningTeam = "t", costCentre = "c", @namespace = "shared-ns" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        using var clash = await _admin.PostAsJsonAsync("/api/v1/environments", new { name = "second", displayName = "x", tier = "dev", owningTeam = "t", costCentre = "c", @namespace = "shared-ns" });

        clash.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await clash.Content.ReadAsStringAsync()).ShouldContain("already belongs to environment 'holder'");
    }

    [Fact]
    public async Task Patch_UnknownEnvironment_404AndRecorded()
    {
        var before = await AuditTotalAsync();

        (await _admin.PatchAsJsonAsync("/api/v1/environments/ghost", new { owningTeam = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var page = await factory.Services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery { Take = 1 }, null, true, CancellationToken.None);
        page.Total.ShouldBe(before + 1);
        (page.Records[0].Target, page.Records[0].Outcome).ShouldBe(("ghost", AuditOutcome.Failed));
    }

    [Fact]
    public async Task Post_NotJson_415()
    {
        using var response = await _admin.PostAsync(new Uri("/api/v1/environments", UriKind.Relative), new StringContent("name=x", Encoding.UTF8, "text/plain"));

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Post_DuplicateName_409AndTheFirstStaysAsItWas()
    {
        (await _admin.PostAsJsonAsync("/api/v1/environments", Body("dup-1", "First"))).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var second = await _admin.PostAsJsonAsync("/api/v1/environments", Body("dup-1", "Second"));

        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/environments/dup-1")).GetProperty("displayName").GetString().ShouldBe("First");
    }

    [Fact]
    public async Task Post_Created_CreatorIsOwnerAndLocationWorks()
    {
        using var created = await _admin.PostAsJsonAsync("/api/v1/environments", Body("own-1", "Owned"));

        created.Headers.Location.ShouldNotBeNull().ToString().ShouldBe("/api/v1/environments/own-1");
        var access = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/environments/own-1/access");
        access.EnumerateArray().ShouldContain(b => b.GetProperty("subject").GetString() == "admin" && b.GetProperty("role").GetString() == "Owner");
    }

    [Fact]
    public async Task Patch_StaleVersion_409NothingOverwritten()
    {
        (await _admin.PostAsJsonAsync("/api/v1/environments", Body("occ-1", "Original"))).EnsureSuccessStatusCode();
        (await _admin.PatchAsJsonAsync("/api/v1/environments/occ-1", new { displayName = "Alice's edit", expectedVersion = 1 })).EnsureSuccessStatusCode();

        using var request = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/environments/occ-1") { Content = JsonContent.Create(new { displayName = "Bob's edit" }) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        using var stale = await _admin.SendAsync(request);

        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/environments/occ-1")).GetProperty("displayName").GetString().ShouldBe("Alice's edit");
    }

    [Fact]
    public async Task Get_Unknown_404ProblemJson()
    {
        using var response = await _admin.GetAsync(new Uri("/api/v1/environments/nope", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task UnknownApiPath_404ProblemJson()
    {
        using var response = await _admin.GetAsync(new Uri("/api/v1/nothing-here", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task List_DeveloperSeesOnlyWhatTheyMay()
    {
        using var dev = await factory.SignInAsync("dev");

        var names = (await dev.GetFromJsonAsync<JsonElement>("/api/v1/environments")).EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();

        names.ShouldContain("dev");
        names.ShouldContain("staging");
        names.ShouldNotContain("prod");
        (await dev.GetAsync(new Uri("/api/v1/environments/prod", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.NotFound, "hidden, not merely forbidden");
    }

    [Fact]
    public async Task TimeBoxedGrant_WorksUntilItEnds()
    {
        using var clocked = new PortalAppFactory { Clock = new Portal.Testing.FakeClock(DateTimeOffset.UtcNow) };
        using var admin = await clocked.SignInAsync("admin");
        (await admin.PostAsJsonAsync("/api/v1/environments/prod/access", new { subjectKind = "user", subject = "viewer", role = "Owner", expiresInHours = 4 }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        using var viewer = await clocked.SignInAsync("viewer");

        (await viewer.PatchAsJsonAsync("/api/v1/environments/prod", new { owningTeam = "on-call" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        clocked.Clock!.Advance(TimeSpan.FromHours(5));
        using var late = await viewer.PatchAsJsonAsync("/api/v1/environments/prod", new { owningTeam = "too-late" });

        late.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await late.Content.ReadAsStringAsync()).ShouldContain("You need Owner on prod");
    }

    private static object Body(string name, string displayName) =>
        new { name, displayName, tier = "dev", owningTeam = "payments", costCentre = "cc-1001" };

    private async Task<int> CountAsync() =>
        (await factory.Services.GetRequiredService<Portal.Core.Environments.EnvironmentService>()
            .ListAsync(new Portal.Core.Authorization.PortalPrincipal("admin", "admin", new HashSet<string> { "platform-admins" }), CancellationToken.None)).Count;
}
