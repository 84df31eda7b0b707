using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Core.Environments;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Persistence.DataProtection;
using Portal.Infrastructure.Seeding;
using Portal.Infrastructure.Storage;

namespace Portal.Infrastructure;

public static class InfrastructureExtensions
{
    public const string ReadinessTag = "ready";

    /// <summary>The <c>Data</c> section: where Portal keeps its files (<c>PORTAL_DATA_DIR</c>, default <c>./.data</c>).</summary>
    public static IHostApplicationBuilder AddPortalDataDirectory(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DataOptions.SectionName);
        builder.Services.AddOptions<DataOptions>()
            .Bind(section)
            .PostConfigure(o =>
            {
                if (section[nameof(DataOptions.Directory)] is null && builder.Configuration[DataOptions.DirectoryVariable] is { Length: > 0 } fromVariable)
                {
                    o.Directory = fromVariable;
                }

                o.Directory = Path.GetFullPath(o.Directory);
            })
            .Validate(o => o.Directory.Length > 0, $"{DataOptions.SectionName}:Directory: must not be empty.")
            .ValidateOnStart();
        return builder;
    }

    /// <summary>The <c>Database</c> and <c>Seed</c> sections: EF Core on SQLite or PostgreSQL, migrated at start-up.</summary>
    public static IHostApplicationBuilder AddPortalDatabase(this IHostApplicationBuilder builder)
    {
        builder.AddPortalDataDirectory();
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddOptions<DatabaseOptions>()
            .Bind(builder.Configuration.GetSection(DatabaseOptions.SectionName))
            .PostConfigure<IOptions<DataOptions>>((db, data) =>
            {
                if (string.IsNullOrWhiteSpace(db.ConnectionString) && string.Equals(db.Provider, nameof(DatabaseProvider.Sqlite), StringComparison.OrdinalIgnoreCase))
                {
                    db.ConnectionString = $"Data Source={Path.Combine(data.Value.Directory, "portal.db")}";
                }
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        builder.Services.AddOptions<SeedOptions>()
            .Bind(builder.Configuration.GetSection(SeedOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SeedOptions>, SeedOptionsValidator>();

        builder.Services.AddSingleton<PortalDatabase>();
        builder.Services.AddDbContextFactory<PortalDbContext>((sp, options) => sp.GetRequiredService<PortalDatabase>().Configure(options));
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddSingleton<DemoDataSeeder>();
        builder.Services.AddSingleton<IEnvironmentCatalog, EfEnvironmentCatalog>();
        builder.Services.AddHostedService<DatabaseInitializer>();
        builder.Services.AddSingleton<DatabaseXmlRepository>();
        builder.Services.AddDataProtection().SetApplicationName("Portal");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = sp.GetRequiredService<DatabaseXmlRepository>()));
        builder.Services.AddHealthChecks().AddCheck<DatabaseReadinessCheck>("database", tags: [ReadinessTag]);
        return builder;
    }
}
