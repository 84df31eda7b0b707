using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Tokens;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Logs;

/// <summary><c>/ingest/_bulk</c> as a shipper's Elasticsearch output uses it, then the same documents found through the search API.</summary>
public sealed class IngestApiTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task Bulk_WithIngestToken_StoresGoodItems_AnswersPerItem_AndTheyAreSearchable()
    {
        var marker = $"m{Guid.NewGuid():N}"[..12];
        using var shipper = await ShipperAsync();
        var now = DateTimeOffset.UtcNow;
        var body = Ndjson(
            """{"index":{"_index":"fluent-bit"}}""",
            Doc(now, "dev", $"level=error msg=\"{marker} payment failed\"", 503),
            """{"create":{"_index":"logs-test-2026.11.22"}}""",
            $$"""{"@timestamp":"{{now:O}}","log":"{{marker}} no kubernetes metadata, index names test"}""",
            """{"index":{}}""",
            Doc(now, "kube-system", $"{marker} not an environment's namespace", 200),
            """{"delete":{"_index":"logs-dev","_id":"1"}}""");

        using var response = await shipper.PostAsync(new Uri("/ingest/_bulk", UriKind.Relative), body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("X-Elastic-Product").ShouldBe(["Elasticsearch"]);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        json.GetProperty("errors").GetBoolean().ShouldBeTrue();
        var items = json.GetProperty("items").EnumerateArray().ToList();
        items.Select(i => i.EnumerateObject().Single().Name).ShouldBe(["index", "create", "index", "delete"]);
        items.Select(i => i.EnumerateObject().Single().Value.GetProperty("status").GetInt32()).ShouldBe([201, 201, 400, 400]);
        items[2].GetProperty("index").GetProperty("error").GetProperty("reason").GetString()!.ShouldContain("kube-system");

        using var admin = await factory.SignInAsync("admin");
        var found = await SearchAsync(admin, new { query = marker, from = "now-1h" });
        found.GetProperty("total").GetInt64().ShouldBe(2);
        found.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("environment").GetString()).Order().ShouldBe(["dev", "test"]);
        var statusField = (await SearchAsync(admin, new { query = $"{marker} and status >= 500", from = "now-1h" })).GetProperty("hits").EnumerateArray().Single();
        statusField.GetProperty("source").GetProperty("status").GetInt32().ShouldBe(503, "numbers stay numbers");
    }

    [Fact]
    public async Task Bulk_Gzip_BasicAuthPassword_IsAccepted()
    {
        var marker = $"g{Guid.NewGuid():N}"[..12];
        var token = await IngestTokenAsync();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"fluent-bit:{token}")));
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes("{\"index\":{}}\n" + Doc(DateTimeOffset.UtcNow, "dev", marker, 200) + "\n"));
        }

        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await client.PostAsync(new Uri("/ingest/_bulk", UriKind.Relative), content);

        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetBoolean().ShouldBeFalse();
        using var admin = await factory.SignInAsync("admin");
        (await SearchAsync(admin, new { query = marker, from = "now-1h" })).GetProperty("total").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task Bulk_MalformedLine_Refuses400AndStoresNothing()
    {
        var marker = $"x{Guid.NewGuid():N}"[..12];
        using var shipper = await ShipperAsync();

        using var response = await shipper.PostAsync(new Uri("/ingest/_bulk", UriKind.Relative),
            Ndjson("""{"index":{}}""", Doc(DateTimeOffset.UtcNow, "dev", marker, 200), """{"index":{}}""", "{not json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        error.GetProperty("type").GetString().ShouldBe("illegal_argument_exception");
        error.GetProperty("reason").GetString()!.ShouldContain("line [4]");
        using var admin = await factory.SignInAsync("admin");
        (await SearchAsync(admin, new { query = marker, from = "now-1h" })).GetProperty("total").GetInt64().ShouldBe(0, "nothing of a refused body is stored");
    }

    [Fact]
    public async Task Bulk_WithoutTokenOrWithAPersonalToken_Is401_AndAnIngestTokenCannotCallTheApi()
    {
        using var anonymous = factory.CreateClient();
        using var none = await anonymous.PostAsync(new Uri("/ingest/_bulk", UriKind.Relative), Ndjson("""{"index":{}}""", "{}"));
        none.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("type").GetString().ShouldBe("security_exception");

        using var admin = await factory.SignInAsync("admin");
        var personal = (await (await admin.PostAsJsonAsync("/api/v1/me/tokens", new { name = "not-for-shipping" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("token").GetString()!;
        using var withPersonal = Bearer(personal);
        (await withPersonal.PostAsync(new Uri("/ingest/_bulk", UriKind.Relative), Ndjson("""{"index":{}}""", "{}"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var shipper = await ShipperAsync();
        (await shipper.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "an ingest token is no API token");
        var root = await shipper.GetFromJsonAsync<JsonElement>("/ingest/");
        root.GetProperty("version").GetProperty("number").GetString()!.ShouldStartWith("8.");
    }

    [Fact]
    public async Task CreateIngest_IsAudited_AndTheValueNeverStored()
    {
        var tokens = factory.Services.GetRequiredService<AccessTokenService>();
        var created = (ActionResult<CreatedToken>.Ok)await tokens.CreateIngestAsync(
            ActorContext.Cli(new PortalPrincipal("cli", "Command line", new HashSet<string>())), "vector-prod", null, CancellationToken.None);

        created.Value.Value.ShouldStartWith(AccessTokenService.IngestPrefix);
        created.Value.Token.Kind.ShouldBe(TokenKind.Ingest);
        (created.Value.Token.ExpiresAt! - created.Value.Token.CreatedAt).Value.TotalDays.ShouldBe(AccessTokenService.IngestDefaultDays);
        var audit = await factory.Services.GetRequiredService<Portal.Core.Audit.IAuditReader>().QueryAsync(
            new Portal.Core.Audit.AuditQuery { Action = "tokens.create-ingest", Take = 10 }, null, true, CancellationToken.None);
        var record = audit.Records.Where(r => r.Target == "vector-prod").ShouldHaveSingleItem();
        (record.Target, record.Actor).ShouldBe(("vector-prod", "cli"));
        record.Parameters.ShouldNotContain(created.Value.Value);
        (await tokens.AuthenticateAsync(created.Value.Value, CancellationToken.None)).ShouldBeNull("an ingest token never signs anyone in");
    }

    private async Task<string> IngestTokenAsync()
    {
        var created = await factory.Services.GetRequiredService<AccessTokenService>().CreateIngestAsync(
            ActorContext.Cli(new PortalPrincipal("cli", "Command line", new HashSet<string>())), $"shipper-{Guid.NewGuid():N}"[..16], null, CancellationToken.None);
        return ((ActionResult<CreatedToken>.Ok)created).Value.Value;
    }

    private async Task<HttpClient> ShipperAsync() => Bearer(await IngestTokenAsync());

    private HttpClient Bearer(string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    internal static async Task<JsonElement> SearchAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/logs/search", body);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    internal static string Doc(DateTimeOffset at, string ns, string log, int status) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["@timestamp"] = at.ToString("O"),
        ["log"] = log,
        ["status"] = status,
        ["kubernetes"] = new Dictionary<string, object> { ["namespace_name"] = ns, ["pod_name"] = "checkout-7f9c-abcde", ["container_name"] = "checkout" },
    });

    [Fact]
    public async Task Bulk_ElasticsearchBackend_IsA404SayingWhereToShip()
    {
        using var app = new PortalAppFactory();
        app.Settings["Logs:Backend"] = "Elasticsearch";
        app.Settings["Logs:Elasticsearch:Url"] = "http://127.0.0.1:9";
        using var client = app.CreateClient();

        foreach (var path in new[] { "/ingest/_bulk", "/ingest/logs-dev/_bulk" })
        {
            using var response = await client.PostAsync(path, Ndjson("""{"index":{}}""", """{"message":"hello"}"""));
            var body = await response.Content.ReadAsStringAsync();

            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{path}: {body}");
            body.ShouldContain("ship logs there, not to Portal", Case.Sensitive, path);
        }
    }

    internal static StringContent Ndjson(params string[] lines) => new(string.Join('\n', lines) + "\n", Encoding.UTF8, "application/x-ndjson");
}
