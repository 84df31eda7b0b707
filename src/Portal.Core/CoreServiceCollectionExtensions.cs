using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Core.Actions;
using Portal.Core.Alarms;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Core.Catalog;
using Portal.Core.Costs;
using Portal.Core.Deployments;
using Portal.Core.Approvals;
using Portal.Core.Environments;
using Portal.Core.Jobs;
using Portal.Core.Logs;
using Portal.Core.Provisioning;
using Portal.Core.Tokens;

namespace Portal.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The use cases. Their ports (unit of work, user directory, audit reader) come from an adapter.</summary>
    public static IServiceCollection AddPortalCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PortalActions>();
        services.AddSingleton<AccessChanges>();
        services.AddSingleton<EnvironmentService>();
        services.AddSingleton<IEnvironmentCatalog>(sp => sp.GetRequiredService<EnvironmentService>());
        services.AddSingleton<AccessService>();
        services.AddSingleton<AccessTokenService>();
        services.AddSingleton<AuditService>();
        services.AddSingleton<ApprovalService>();
        services.AddSingleton<EnvironmentExpiry>();
        services.AddSingleton<JobEvents>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<JobService>();
        services.AddSingleton<EnvironmentStatusWriter>();
        services.AddSingleton<IJobDefinition, CreateEnvironmentJob>();
        services.AddSingleton<IJobDefinition, UpdateEnvironmentJob>();
        services.AddSingleton<IJobDefinition, DestroyEnvironmentJob>();
        services.AddSingleton<CatalogService>();
        services.AddSingleton<DeploymentService>();
        services.AddSingleton<IJobDefinition, DeployJob>();
        services.AddSingleton<LogSearchService>();
        services.AddSingleton<SavedSearchService>();
        services.AddSingleton<AlarmService>();
        services.AddSingleton<ChangeTrailService>();
        // Costs: the store and the snapshot source are adapters' (Infrastructure, Web's cluster registry).
        services.AddSingleton<CostService>();
        services.AddSingleton<StatusService>();
        services.AddSingleton<BudgetService>();
        services.AddSingleton<CostSamplingJob>();
        services.AddSingleton<CostInputsCache>();
        return services;
    }
}
