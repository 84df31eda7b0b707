// Faults/ mirrors no single source folder: a dependency's outage crosses the data layer, the pages, the API and the
// sign-in check at once, so these tests follow the dependency rather than one source folder.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Infrastructure.Jobs;
using Portal.Infrastructure.Persistence.Availability;
using Portal.Testing;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Faults;

/// <summary>
/// One portal on PostgreSQL reached through a <see cref="FaultProxy"/>, with a signed-in user, shared by the tests
/// of <see cref="DatabaseFaultTests"/> (each leaves the proxy passing and the database answering). Short waits by
/// configuration: connect and statement timeouts of 2 s in the connection string, a 1 s availability probe.
/// </summary>
public sealed class DatabaseFaultFixture : IAsyncLifetime
{
    private readonly PortalAppFactory _app = new();

    public FaultProxy Proxy { get; private set; } = default!;

    public string DatabaseName { get; private set; } = "";

    public PortalAppFactory App => _app;

    public HttpClient Admin { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        var direct = new NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync());
        DatabaseName = direct.Database!;
        Proxy = FaultProxy.Start(direct.Host!, direct.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(direct.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = Proxy.Port,
            Pooling = true,
            Timeout = 2,
            CommandTimeout = 2,
            CancellationTimeout = 500,
        };
        _app.Settings["Database:Provider"] = "PostgreSql";
        _app.Settings["Database:ConnectionString"] = viaProxy.ConnectionString;
        _app.Settings["Database:ProbeTimeoutSeconds"] = "2";
        _app.Settings["Database:AvailabilityProbeSeconds"] = "1";
        Admin = await _app.SignInAsync("admin");
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await _app.DisposeAsync();
        await Proxy.DisposeAsync();
    }
}

public sealed class DatabaseFaultTests(DatabaseFaultFixture fixture) : IClassFixture<DatabaseFaultFixture>
{
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(20);

    private PortalAppFactory App => fixture.App;

    private HttpClient Client => fixture.Admin;

    [Theory]
    [InlineData(FaultMode.Refuse)]
    [InlineData(FaultMode.Hang)]
    public async Task DatabaseDown_PagesShowTheBannerWritesAre503AndAllRecoversWithoutRestart(FaultMode mode)
    {
        var tag = $"{mode}-{Guid.NewGuid():N}"[..16].ToLowerInvariant();
        (await GetPageAsync("/logs")).ShouldNotContain("could not be read", customMessage: "the user is at work before the fault");
        (await SearchLogsAsync()).StatusCode.ShouldBe(HttpStatusCode.OK);
        fixture.Proxy.Mode = mode;
        try
        {
            await WaitUntilAsync(() => !Availability.IsAvailable, "the probe notices the outage");

            // A page that needs the database: the banner and a sentence in its place, not an error page.
            var audit = await GetPageAsync("/audit");
            audit.ShouldContain("data-testid=\"database-banner\"");
            audit.ShouldContain("database is not answering");

            // A page that needs none keeps working for the signed-in user (the cookie check does not sign them out).
            var logs = await GetPageAsync("/logs");
            logs.ShouldNotContain("page-needs-database");
            logs.ShouldNotContain("could not be read", customMessage: "the environments and the user's bindings are the last known ones");
            logs.ShouldContain("data-testid=\"page-logs\"");
            using (var search = await SearchLogsAsync())
            {
                search.StatusCode.ShouldBe(HttpStatusCode.OK, "a log search needs no database: " + await search.Content.ReadAsStringAsync());
            }

            // A state-changing call is refused with a reason and Retry-After; nothing of it is written.
            using var refused = await Client.PostAsJsonAsync("/api/v1/me/tokens", new { name = $"during-{tag}" });
            await ShouldBeDatabaseUnavailableAsync(refused);

            // Readiness names the database.
            using var ready = await Client.GetAsync(new Uri("/readyz", UriKind.Relative));
            ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            (await ready.Content.ReadAsStringAsync()).ShouldContain("\"database\"");
        }
        finally
        {
            fixture.Proxy.Mode = FaultMode.Pass;
        }

        await ShouldRecoverAsync(tag);
    }

    [Fact]
    public async Task ConnectionsResetMidQuery_NothingFailsToTheUserAndThePoolRecovers()
    {
        var tag = $"reset-{Guid.NewGuid():N}"[..16];

        // The proxy closes every open connection (pooled ones included) as it switches: the portal's next
        // statements meet dead sockets. It passes again at once, as after a short network blip.
        fixture.Proxy.Mode = FaultMode.Refuse;
        fixture.Proxy.Mode = FaultMode.Pass;
        await AssertPagesNeverFailAsync();

        // The server ends the portal's sessions itself (an administrator, a failover): SQLSTATE 57P01.
        await TerminatePortalBackendsAsync();
        await AssertPagesNeverFailAsync();

        await ShouldRecoverAsync(tag);
    }

    [Fact]
    public async Task StatementTimeout_IsAnOutageNotABug()
    {
        var timeout = new PostgresException("canceling statement due to statement timeout", "ERROR", "ERROR", "57014");
        var terminated = new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01");
        var unique = new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505");

        DatabaseFailures.IsUnavailable(new InvalidOperationException("wrapped by EF", timeout)).ShouldBeTrue();
        DatabaseFailures.IsUnavailable(terminated).ShouldBeTrue();
        DatabaseFailures.IsUnavailable(new NpgsqlException("Exception while reading from stream", new IOException("reset"))).ShouldBeTrue();
        DatabaseFailures.IsUnavailable(unique).ShouldBeFalse("a conflict is the caller's problem, not an outage");
        DatabaseFailures.IsUnavailable(new InvalidOperationException("a bug")).ShouldBeFalse();
    }

    private Task<HttpResponseMessage> SearchLogsAsync() =>
        Client.PostAsJsonAsync("/api/v1/logs/search", new { query = "error", environment = "dev" });

    private DatabaseAvailability Availability => App.Services.GetRequiredService<DatabaseAvailability>();

    private async Task<string> GetPageAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{path}: {body[..Math.Min(body.Length, 300)]}");
        ShouldHaveNoInternals(body);
        return body;
    }

    private static void ShouldHaveNoInternals(string body)
    {
        body.ShouldNotContain("   at ", customMessage: "no stack trace");
        body.ShouldNotContain("Npgsql");
        var at = body.IndexOf("Exception", StringComparison.OrdinalIgnoreCase);
        at.ShouldBe(-1, at < 0 ? "" : body[Math.Max(0, at - 300)..Math.Min(body.Length, at + 200)]);
    }

    private static async Task ShouldBeDatabaseUnavailableAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        response.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldNotBeNull().ShouldBeGreaterThan(TimeSpan.Zero);
        var text = await response.Content.ReadAsStringAsync();
        ShouldHaveNoInternals(text);
        using var problem = JsonDocument.Parse(text);
        problem.RootElement.GetProperty("title").GetString().ShouldBe("Database unavailable");
        problem.RootElement.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("database is not answering");
    }

    /// <summary>Within a bounded wait after the database returns: no banner, the write succeeds, jobs and readiness are back.</summary>
    private async Task ShouldRecoverAsync(string tag)
    {
        await WaitUntilAsync(() => Availability.IsAvailable, "the probe notices the database is back");
        var audit = await GetPageAsync("/audit");
        audit.ShouldNotContain("data-testid=\"database-banner\"");
        audit.ShouldNotContain("page-needs-database");

        HttpResponseMessage? created = null;
        await WaitUntilAsync(async () =>
        {
            created?.Dispose();
            created = await Client.PostAsJsonAsync("/api/v1/me/tokens", new { name = $"after-{tag}" });
            return created.StatusCode == HttpStatusCode.Created;
        }, "a write succeeds again");
        created?.Dispose();

        var tokens = await Client.GetStringAsync(new Uri("/api/v1/me/tokens", UriKind.Relative));
        tokens.ShouldContain($"after-{tag}");
        tokens.ShouldNotContain($"during-{tag}", customMessage: "the refused write left nothing behind");

        App.Services.GetRequiredService<JobEngineHost>().State.ShouldBe(JobEngineState.Running);
        await WaitUntilAsync(async () =>
        {
            using var ready = await Client.GetAsync(new Uri("/readyz", UriKind.Relative));
            return ready.StatusCode == HttpStatusCode.OK;
        }, "/readyz is ready again");
    }

    /// <summary>Pages read right after the fault: each answers 200 without internals, whatever it shows.</summary>
    private async Task AssertPagesNeverFailAsync()
    {
        foreach (var path in new[] { "/audit", "/admin", "/", "/logs", "/audit" })
        {
            await GetPageAsync(path);
        }

        using var me = await Client.GetAsync(new Uri("/api/v1/me/tokens", UriKind.Relative));
        me.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable);
        ShouldHaveNoInternals(await me.Content.ReadAsStringAsync());
    }

    private async Task TerminatePortalBackendsAsync()
    {
        await using var admin = new NpgsqlConnection(TestPostgres.AdminConnectionString);
        await admin.OpenAsync();
        await using var command = admin.CreateCommand();
        command.CommandText = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid()";
        command.Parameters.AddWithValue("db", fixture.DatabaseName);
        var terminated = (long)(await command.ExecuteScalarAsync())!;
        terminated.ShouldBeGreaterThan(0, "the portal holds pooled connections to terminate");
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) =>
        FaultChecks.EventuallyAsync(condition, what, (int)RecoveryBound.TotalSeconds);
}
