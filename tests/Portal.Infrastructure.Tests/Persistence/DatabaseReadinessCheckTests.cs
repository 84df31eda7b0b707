using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Infrastructure.Persistence;
using Portal.Testing;

namespace Portal.Infrastructure.Tests.Persistence;

public sealed class DatabaseReadinessCheckTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task CheckHealthAsync_MigratedDatabase_IsHealthy()
    {
        var db = Sqlite();
        await db.Migrator().MigrateAsync(CancellationToken.None);

        var result = await Check(db);

        result.Status.ShouldBe(HealthStatus.Healthy);
    }

    [Fact]
    public async Task CheckHealthAsync_NotMigrated_IsUnhealthyAndSaysWhy()
    {
        var result = await Check(Sqlite());

        result.Status.ShouldBe(HealthStatus.Unhealthy);
        result.Description.ShouldNotBeNull().ShouldContain("not applied yet");
    }

    [Fact]
    public async Task CheckHealthAsync_UnreachableServer_IsUnhealthyAndRevealsNoConnectionDetails()
    {
        var db = new TestDatabase(DatabaseProvider.PostgreSql,
            $"Host=127.0.0.1;Port={FreePort.Next()};Database=portal;Username=portal;Password=hunter2-secret;Timeout=3");
        db.Options.ProbeTimeoutSeconds = 5;

        var result = await Check(db);

        result.Status.ShouldBe(HealthStatus.Unhealthy);
        result.Description.ShouldBe("PostgreSql: unreachable.");
    }

    public void Dispose() => _directory.Dispose();

    private TestDatabase Sqlite() => new(DatabaseProvider.Sqlite, $"Data Source={_directory.File("portal.db")};Pooling=False");

    private static Task<HealthCheckResult> Check(TestDatabase db) =>
        new DatabaseReadinessCheck(db.Migrator(), db.Database, Microsoft.Extensions.Options.Options.Create(db.Options),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseReadinessCheck>.Instance)
            .CheckHealthAsync(new HealthCheckContext(), CancellationToken.None);
}
