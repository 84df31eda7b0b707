using Microsoft.Extensions.Options;
using Portal.Core.Provisioning;
using Portal.Infrastructure;
using Portal.Kubernetes.Provisioning;

namespace Portal.Web.Clusters;

internal static class ClusterExtensions
{
    /// <summary>
    /// Kubernetes and Provisioning: the configured clusters (validated at start), the sandbox, the shared caches,
    /// /readyz, and what an environment is made of on its cluster.
    /// </summary>
    public static IHostApplicationBuilder AddPortalClusters(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KubernetesOptions>().BindConfiguration(KubernetesOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<KubernetesOptions>, KubernetesOptionsValidator>();
        builder.Services.AddSingleton<SandboxClusterHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SandboxClusterHost>());
        builder.Services.AddSingleton<ClusterRegistry>();
        builder.Services.AddSingleton<IKubernetesClients>(sp => sp.GetRequiredService<ClusterRegistry>());
        builder.Services.AddOptions<ProvisioningOptions>().BindConfiguration(ProvisioningOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ProvisioningOptions>, ProvisioningOptionsValidator>();
        builder.Services.AddSingleton<IEnvironmentProvisioner, KubernetesEnvironmentProvisioner>();
        builder.Services.AddSingleton<Portal.Core.Deployments.IServiceDeployer>(sp => new Portal.Kubernetes.Deployments.KubernetesServiceDeployer(
            sp.GetRequiredService<IKubernetesClients>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<Portal.Core.Deployments.DeploymentOptions>>().Value.ProgressDeadlineSeconds,
            sp.GetRequiredService<IOptions<Portal.Core.Deployments.DeploymentOptions>>().Value.MinReadySeconds));
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("kubernetes", tags: [InfrastructureExtensions.ReadinessTag]);
        return builder;
    }
}
