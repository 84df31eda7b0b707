using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Logs;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Logs;

/// <summary>The search API over the embedded store: scoping by role on the server, errors, saved searches and CSV export.</summary>
public sealed class LogsApiTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task Search_DeveloperSeesOnlyEnvironmentsWithLogsRead_EvenWhenAskingForAll()
    {
        var marker = await SeedAsync(("dev", 3), ("staging", 2), ("prod", 4));
        using var dev = await factory.SignInAsync("dev");

        var all = await IngestApiTests.SearchAsync(dev, new { query = marker, from = "now-1h" });

        all.GetProperty("environments").EnumerateArray().Select(e => e.GetString()).ShouldBe(["dev", "test", "staging"]);
        all.GetProperty("total").GetInt64().ShouldBe(5, "dev and staging (Viewer reads logs), never prod");
        all.GetProperty("hits").EnumerateArray().ShouldAllBe(h => h.GetProperty("environment").GetString() != "prod");
        using var prod = await dev.PostAsJsonAsync("/api/v1/logs/search", new { query = marker, environment = "prod" });
        prod.StatusCode.ShouldBe(HttpStatusCode.NotFound, "prod is invisible to the dev user");
    }

    [Fact]
    public async Task Search_Manager_IsRefusedWithTheReason()
    {
        using var manager = await factory.SignInAsync("manager");

        using var response = await manager.PostAsJsonAsync("/api/v1/logs/search", new { query = "error", environment = "dev" });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("permission").GetString().ShouldBe("logs.read");
    }

    [Fact]
    public async Task Search_BadQueryAndRange_400NamesTheFields()
    {
        using var admin = await factory.SignInAsync("admin");

        using var response = await admin.PostAsJsonAsync("/api/v1/logs/search", new { query = "status:(500 or", from = "yesterday-ish", size = 9999 });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("query")[0].GetString()!.ShouldContain("position");
        errors.TryGetProperty("from", out _).ShouldBeTrue();
        errors.TryGetProperty("size", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Search_HistogramAndFieldSidebar_CountWhatWasFound_AndPagingHasNoGaps()
    {
        var marker = await SeedAsync(("test", 7));
        using var admin = await factory.SignInAsync("admin");

        var first = await IngestApiTests.SearchAsync(admin, new { query = marker, from = "now-1h", size = 3, columns = new[] { "level" } });

        first.GetProperty("total").GetInt64().ShouldBe(7);
        first.GetProperty("histogram").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64()).ShouldBe(7);
        first.GetProperty("sampleSize").GetInt32().ShouldBe(7);
        var level = first.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "level");
        level.GetProperty("topValues").EnumerateArray().Select(v => (v.GetProperty("value").GetString(), v.GetProperty("count").GetInt32()))
            .ShouldBe([("info", 4), ("error", 3)]);
        first.GetProperty("hits")[0].GetProperty("fields").GetProperty("level").GetString().ShouldNotBeNull();
        var seen = first.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()).ToList();
        var cursor = first.GetProperty("nextCursor").GetString();
        while (cursor is not null)
        {
            var page = await IngestApiTests.SearchAsync(admin, new { query = marker, from = "now-1h", size = 3, searchAfter = cursor });
            seen.AddRange(page.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()));
            cursor = page.GetProperty("nextCursor").GetString();
        }

        seen.Count.ShouldBe(7);
        seen.Distinct().Count().ShouldBe(7);
    }

    [Fact]
    public async Task SavedSearches_SaveListShareDelete_OnlyTheOwnerDeletes_AndEachIsAudited()
    {
        using var dev = await factory.SignInAsync("dev");
        using var viewer = await factory.SignInAsync("viewer");
        var name = $"errors-{Guid.NewGuid():N}"[..15];

        using var saved = await dev.PostAsJsonAsync("/api/v1/logs/saved", new
        {
            name, sharedWith = "dev",
            state = new { query = "level:error", from = "now-1h", columns = new[] { "level", "log" }, filters = new[] { new { field = "kubernetes.container_name", value = "checkout", negate = false } } },
        });
        saved.StatusCode.ShouldBe(HttpStatusCode.Created, await saved.Content.ReadAsStringAsync());
        var id = (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        (await viewer.GetFromJsonAsync<JsonElement>("/api/v1/logs/saved")).EnumerateArray().ShouldContain(s => s.GetProperty("name").GetString() == name, "shared with dev, which viewer reads");
        (await viewer.DeleteAsync(new Uri($"/api/v1/logs/saved/{id}", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await dev.DeleteAsync(new Uri($"/api/v1/logs/saved/{id}", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await dev.GetFromJsonAsync<JsonElement>("/api/v1/logs/saved")).EnumerateArray().ShouldNotContain(s => s.GetProperty("name").GetString() == name);

        using var invalid = await dev.PostAsJsonAsync("/api/v1/logs/saved", new { name = "", sharedWith = "dev", state = new { query = "a and" } });
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("name", out _).ShouldBeTrue();
        errors.TryGetProperty("query", out _).ShouldBeTrue();
        using var elsewhere = await dev.PostAsJsonAsync("/api/v1/logs/saved", new { name = "sneaky", sharedWith = "prod", state = new { query = "x" } });
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.NotFound, "dev may not even see prod");
        var audit = await factory.Services.GetRequiredService<Portal.Core.Audit.IAuditReader>().QueryAsync(
            new Portal.Core.Audit.AuditQuery { Actor = "dev", Take = 50 }, null, true, CancellationToken.None);
        audit.Records.Where(r => r.Target == name).Select(r => (r.Action, r.Outcome.ToString())).ShouldBe(
            [("logs.saved-search.delete", "Succeeded"), ("logs.saved-search.save", "Succeeded")]);
    }

    [Fact]
    public async Task ExportCsv_QuotesCells_NeutralisesFormulas_AndSaysWhenCapped()
    {
        var marker = await SeedAsync(("dev", 5));
        using var admin = await factory.SignInAsync("admin");

        using var response = await admin.GetAsync(new Uri($"/api/v1/logs/export.csv?q={marker}&from=now-1h&cols=level,log", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Headers.GetValues("X-Portal-Export-Capped").ShouldBe(["false"]);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("@timestamp,environment,level,log");
        lines.Length.ShouldBe(6);
        lines.Skip(1).ShouldContain(l => l.Contains($"\"'=HYPERLINK(\"\"x\"\") {marker}, quoted\"", StringComparison.Ordinal));

        using var capped = await admin.GetAsync(new Uri($"/api/v1/logs/export.csv?q={marker}&from=now-1h", UriKind.Relative));
        capped.Headers.GetValues("X-Portal-Export-Total").ShouldBe(["5"]);
    }

    /// <summary>Documents carrying a fresh marker word in each given environment (namespace = environment name).</summary>
    private async Task<string> SeedAsync(params (string Environment, int Count)[] batches)
    {
        var marker = $"s{Guid.NewGuid():N}"[..12];
        var now = DateTimeOffset.UtcNow;
        var documents = new List<IngestDocument>();
        foreach (var (environment, count) in batches)
        {
            for (var i = 0; i < count; i++)
            {
                var document = JsonNode.Parse(IngestApiTests.Doc(now.AddSeconds(-i), environment, i == 0 ? $"=HYPERLINK(\"x\") {marker}, quoted" : $"{marker} line {i}", 200))!.AsObject();
                document["level"] = i % 2 == 0 ? "info" : "error";
                documents.Add(new IngestDocument(null, document));
            }
        }

        var outcomes = await factory.Services.GetRequiredService<LogIngestService>().IngestAsync(documents, CancellationToken.None);
        outcomes.ShouldAllBe(o => o.Error == null);
        return marker;
    }
}
