using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Audit;

public sealed class AuditApiTests : IAsyncLifetime, IDisposable
{
    private readonly PortalAppFactory _app = new();
    private HttpClient _admin = default!;

    public async Task InitializeAsync()
    {
        _admin = await _app.SignInAsync("admin");
        using var dev = await _app.SignInAsync("dev");
        (await dev.PatchAsJsonAsync("/api/v1/environments/prod", new { owningTeam = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await dev.PatchAsJsonAsync("/api/v1/environments/staging", new { owningTeam = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await dev.PatchAsJsonAsync("/api/v1/environments/dev", new { owningTeam = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await _admin.PostAsJsonAsync("/api/v1/environments/dev/access", new { subjectKind = "user", subject = "=HYPERLINK(\"http://evil\")", role = "Viewer" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _admin.PostAsJsonAsync("/api/v1/me/tokens", new { name = "org-wide-record" })).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Query_FilterByUserAndOutcome_OnlyThose()
    {
        var page = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?actor=dev&outcome=Denied");

        var records = page.GetProperty("records").EnumerateArray().ToList();
        records.Count.ShouldBe(3, "three refused updates; the one on prod, which dev may not see, answered 404 but is recorded");
        records.ShouldAllBe(r => r.GetProperty("actor").GetString() == "dev" && r.GetProperty("outcome").GetString() == "denied");
        page.GetProperty("total").GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task Query_Paging_TotalStaysPagesDiffer()
    {
        var first = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?take=2&skip=0");
        var second = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?take=2&skip=2");

        first.GetProperty("total").GetInt32().ShouldBe(second.GetProperty("total").GetInt32());
        var ids = first.GetProperty("records").EnumerateArray().Concat(second.GetProperty("records").EnumerateArray()).Select(r => r.GetProperty("id").GetString()).ToList();
        ids.Distinct().Count().ShouldBe(4);
    }

    [Fact]
    public async Task Query_Viewer_SeesEnvironmentRecordsButNotOrganisationWideOnes()
    {
        using var viewer = await _app.SignInAsync("viewer");

        var records = (await viewer.GetFromJsonAsync<JsonElement>("/api/v1/audit?take=1000")).GetProperty("records").EnumerateArray().ToList();

        records.ShouldContain(r => r.GetProperty("action").GetString() == "access.grant");
        records.ShouldNotContain(r => r.GetProperty("action").GetString() == "tokens.create");
        (await _admin.GetStringAsync(new Uri("/api/v1/audit?action=tokens.", UriKind.Relative))).ShouldContain("tokens.create");
    }

    [Fact]
    public async Task Export_Csv_HasHeaderRowsAndDefusesFormulas()
    {
        using var response = await _admin.GetAsync(new Uri("/api/v1/audit?format=csv&action=access.grant", UriKind.Relative));

        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition?.DispositionType.ShouldBe("attachment");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("at,actor,channel,clientAddress,environment,action,target,outcome,reason,correlationId,parameters");
        lines.Length.ShouldBe(2);
        lines[1].ShouldContain(",\"'=HYPERLINK(\"\"http://evil\"\")\",");
    }

    [Theory]
    [InlineData("outcome=maybe", "outcome")]
    [InlineData("from=yesterday", "from")]
    [InlineData("take=5000", "take")]
    [InlineData("format=xml", "format")]
    public async Task Query_BadParameter_400NamingIt(string query, string field)
    {
        using var response = await _admin.GetAsync(new Uri($"/api/v1/audit?{query}", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("DELETE")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    public async Task Audit_CannotBeChangedThroughTheApi(string method)
    {
        var before = (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?take=1")).GetProperty("total").GetInt32();

        using var response = await _admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/api/v1/audit"));

        ((int)response.StatusCode).ShouldBeOneOf(404, 405);
        (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?take=1")).GetProperty("total").GetInt32().ShouldBe(before);
    }

    public void Dispose()
    {
        _admin.Dispose();
        _app.Dispose();
    }
}
