using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Tests.Persistence;

/// <summary>Builds the real storage objects for one database of either provider.</summary>
internal sealed class TestDatabase(DatabaseProvider provider, string connectionString)
{
    public DatabaseOptions Options { get; } = new() { Provider = provider.ToString(), ConnectionString = connectionString };

    public PortalDatabase Database => new(Microsoft.Extensions.Options.Options.Create(Options));

    public SchemaMigrator Migrator(IReadOnlyList<SchemaScript>? scripts = null) =>
        new(Database, scripts ?? SchemaScript.Load(provider), TimeProvider.System, NullLogger<SchemaMigrator>.Instance);

    public IDbContextFactory<PortalDbContext> Contexts => new Factory(Database);

    public Portal.Core.Actions.IUnitOfWorkFactory Units => new Portal.Infrastructure.Persistence.Stores.EfUnitOfWorkFactory(Contexts);

    public Portal.Infrastructure.Identity.LocalAccountService Accounts(Portal.Infrastructure.Identity.LocalAccountOptions options, TimeProvider? clock = null) =>
        new(Contexts, Microsoft.Extensions.Options.Options.Create(options), clock ?? TimeProvider.System);

    private sealed class Factory(PortalDatabase database) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext()
        {
            var builder = new DbContextOptionsBuilder<PortalDbContext>();
            database.Configure(builder);
            return new PortalDbContext(builder.Options);
        }
    }
}
