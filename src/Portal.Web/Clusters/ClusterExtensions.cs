using Microsoft.Extensions.Options;
using Portal.Infrastructure;

namespace Portal.Web.Clusters;

internal static class ClusterExtensions
{
    /// <summary>Kubernetes: the configured clusters (validated at start), the sandbox, the shared caches, /readyz.</summary>
    public static IHostApplicationBuilder AddPortalClusters(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KubernetesOptions>().BindConfiguration(KubernetesOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<KubernetesOptions>, KubernetesOptionsValidator>();
        builder.Services.AddSingleton<SandboxClusterHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SandboxClusterHost>());
        builder.Services.AddSingleton<ClusterRegistry>();
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("kubernetes", tags: [InfrastructureExtensions.ReadinessTag]);
        return builder;
    }
}
