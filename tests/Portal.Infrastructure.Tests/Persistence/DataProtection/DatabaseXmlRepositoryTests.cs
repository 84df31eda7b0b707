using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Persistence.DataProtection;
using Portal.Testing;

namespace Portal.Infrastructure.Tests.Persistence.DataProtection;

public sealed class DatabaseXmlRepositoryTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Protect_OnOneReplica_UnprotectsOnAnotherSharingTheDatabase()
    {
        var db = new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={_directory.File("portal.db")};Pooling=False");
        await db.Migrator().MigrateAsync(CancellationToken.None);

        var payload = Replica(db).CreateProtector("cookies").Protect("signed-in as ada");
        var other = Replica(db).CreateProtector("cookies");

        other.Unprotect(payload).ShouldBe("signed-in as ada");
        new DatabaseXmlRepository(db.Contexts, TimeProvider.System).GetAllElements().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Unprotect_ReplicaWithItsOwnDatabase_Fails()
    {
        // The negative control: without the shared store the payload is unreadable, so the test above means something.
        var first = new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={_directory.File("a.db")};Pooling=False");
        var second = new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={_directory.File("b.db")};Pooling=False");
        await first.Migrator().MigrateAsync(CancellationToken.None);
        await second.Migrator().MigrateAsync(CancellationToken.None);

        var payload = Replica(first).CreateProtector("cookies").Protect("x");

        Should.Throw<System.Security.Cryptography.CryptographicException>(() => Replica(second).CreateProtector("cookies").Unprotect(payload));
    }

    public void Dispose() => _directory.Dispose();

    private static IDataProtectionProvider Replica(TestDatabase db)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().SetApplicationName("Portal");
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new DatabaseXmlRepository(db.Contexts, TimeProvider.System));
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }
}
