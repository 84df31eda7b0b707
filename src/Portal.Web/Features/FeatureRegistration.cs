using Portal.Web.Features.Admin;
using Portal.Web.Features.Alarms;
using Portal.Web.Features.Approvals;
using Portal.Web.Features.Audit;
using Portal.Web.Features.Catalog;
using Portal.Web.Features.Cluster;
using Portal.Web.Features.Costs;
using Portal.Web.Features.Deployments;
using Portal.Web.Features.Environments;
using Portal.Web.Features.Jobs;
using Portal.Web.Features.Logs;
using Portal.Web.Features.Overview;
using Portal.Web.Features.Status;
using Portal.Web.Features.Workloads;

namespace Portal.Web.Features;

internal static class FeatureRegistration
{
    /// <summary>Every feature adds its navigation entry (and, as they grow, its services) here.</summary>
    public static IHostApplicationBuilder AddPortalFeatures(this IHostApplicationBuilder builder)
    {
        builder.AddFeature(OverviewPage.Feature)
            .AddFeature(StatusPage.Feature)
            .AddFeature(EnvironmentsPage.Feature)
            .AddFeature(CatalogPage.Feature)
            .AddFeature(ApprovalsPage.Feature)
            .AddFeature(JobsPage.Feature)
            .AddFeature(DeploymentsPage.Feature)
            .AddFeature(WorkloadsPage.Feature)
            .AddFeature(ClusterPage.Feature)
            .AddFeature(LogsPage.Feature)
            .AddFeature(AlarmsPage.Feature)
            .AddFeature(CostsPage.Feature)
            .AddFeature(AuditPage.Feature)
            .AddFeature(AdminPage.Feature);
        builder.Services.AddScoped<WorkloadService>();
        return builder;
    }

    public static IHostApplicationBuilder AddFeature(this IHostApplicationBuilder builder, PortalFeature feature)
    {
        builder.Services.AddSingleton(feature);
        return builder;
    }
}
