using System.Net;
using System.Text.Json;
using Portal.Testing;

namespace Portal.Web.Tests.Hosting;

public class HealthEndpointsTests
{
    [Fact]
    public async Task Healthz_AppRunning_Returns200()
    {
        using var factory = new PortalAppFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Readyz_DatabaseMigrated_Returns200NamingTheDatabase()
    {
        using var factory = new PortalAppFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString().ShouldBe("Healthy");
        File.Exists(Path.Combine(factory.DataDirectory, "portal.db")).ShouldBeTrue("the SQLite file lives in the data directory");
    }

    [Fact]
    public async Task Readyz_DatabaseUnreachable_Returns503NamingItWhileHealthzStays200()
    {
        using var factory = new PortalAppFactory();
        factory.Settings["Database:Provider"] = "PostgreSql";
        factory.Settings["Database:ConnectionString"] = $"Host=127.0.0.1;Port={FreePort.Next()};Database=portal;Username=portal;Password=hunter2-secret;Timeout=2";
        factory.Settings["Database:ProbeTimeoutSeconds"] = "3";
        using var client = factory.CreateClient();

        var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        ready.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        var text = await ready.Content.ReadAsStringAsync();
        text.ShouldNotContain("hunter2-secret");
        using var body = JsonDocument.Parse(text);
        // The job scheduler starts only on a migrated database, so it is not ready either.
        body.RootElement.GetProperty("notReady").EnumerateArray().Select(e => e.GetString()).ShouldBe(["database", "jobs"]);
        body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("description").GetString().ShouldBe("PostgreSql: unreachable.");
        text.ShouldNotContain("127.0.0.1", customMessage: "the public probe must not reveal where the database is");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Readyz_PostgreSqlPath_MigratesAndReports200()
    {
        using var factory = new PortalAppFactory();
        factory.Settings["Database:Provider"] = "PostgreSql";
        factory.Settings["Database:ConnectionString"] = await TestPostgres.CreateDatabaseAsync();
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("PostgreSql: reachable, schema current.");
    }
}
