using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Core;
using Portal.Core.Actions;
using Portal.Core.Audit;
using Portal.Core.Costs;
using Portal.Core.Deployments;
using Portal.Core.Environments;
using Portal.Core.Identity;
using Portal.Infrastructure.Identity;
using Portal.Infrastructure.Persistence.Stores;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Persistence.Availability;
using Portal.Infrastructure.Persistence.DataProtection;
using Portal.Infrastructure.Seeding;
using Portal.Infrastructure.Storage;

namespace Portal.Infrastructure;

public static class InfrastructureExtensions
{
    public const string ReadinessTag = "ready";

    /// <summary>The <c>Data</c> section: where Portal keeps its files (default <c>./.data</c>). The host maps
    /// <c>PORTAL_DATA_DIR</c> onto <c>Data:Directory</c>.</summary>
    public static IHostApplicationBuilder AddPortalDataDirectory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DataOptions>()
            .Bind(builder.Configuration.GetSection(DataOptions.SectionName))
            .PostConfigure(o =>
            {
                try
                {
                    o.Directory = Path.GetFullPath(o.Directory);
                }
                catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
                {
                    // Left as typed: DataOptionsValidator names the setting and the problem.
                }
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DataOptions>, DataOptionsValidator>();
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

        builder.Services.AddOptions<EnvironmentPolicyOptions>()
            .Bind(builder.Configuration.GetSection(EnvironmentPolicyOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddOptions<DeploymentOptions>()
            .Bind(builder.Configuration.GetSection(DeploymentOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DeploymentOptions>, DeploymentOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<EnvironmentPolicyOptions>, EnvironmentPolicyOptionsValidator>();
        builder.Services.AddOptions<LocalAccountOptions>()
            .Bind(builder.Configuration.GetSection(LocalAccountOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LocalAccountOptions>, LocalAccountOptionsValidator>();

        builder.Services.AddSingleton<DatabaseAvailability>();
        builder.Services.AddSingleton<LastKnownReads>();
        builder.Services.AddHostedService<DatabaseAvailabilityProbe>();
        builder.Services.AddSingleton<PortalDatabase>();
        builder.Services.AddDbContextFactory<PortalDbContext>((sp, options) => sp.GetRequiredService<PortalDatabase>().Configure(options));
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddSingleton<DemoDataSeeder>();
        builder.Services.AddSingleton<IUnitOfWorkFactory, EfUnitOfWorkFactory>();
        builder.Services.AddSingleton<IUserDirectory, EfUserDirectory>();
        builder.Services.AddSingleton<IAuditReader, EfAuditReader>();
        builder.Services.AddSingleton<ICostStore, EfCostStore>();
        builder.Services.AddSingleton<LocalAccountService>();
        builder.Services.AddPortalCore();
        builder.Services.AddSingleton<DatabaseInitializer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseInitializer>());
        builder.Services.AddSingleton<DatabaseXmlRepository>();
        builder.Services.AddDataProtection().SetApplicationName("Portal");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = sp.GetRequiredService<DatabaseXmlRepository>()));
        builder.Services.AddHealthChecks().AddCheck<DatabaseReadinessCheck>("database", tags: [ReadinessTag]);
        return builder;
    }
}
