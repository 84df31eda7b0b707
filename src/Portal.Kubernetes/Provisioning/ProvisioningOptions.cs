using Microsoft.Extensions.Options;
using Portal.Core.Authorization;

namespace Portal.Kubernetes.Provisioning;

/// <summary>Settings of the <c>Provisioning</c> section: what an environment is made of on its cluster.</summary>
public sealed class ProvisioningOptions
{
    public const string SectionName = "Provisioning";

    /// <summary>
    /// The Kubernetes ClusterRole each Portal environment role is bound to in the environment's namespace, outside
    /// protected tiers. Kubernetes' built-in <c>edit</c> can read Secrets, which Portal gives only to Owners: a
    /// platform that wants the two to agree points Developer and Operator at a ClusterRole of its own without them.
    /// </summary>
    public Dictionary<string, string> ClusterRoles { get; set; } = new(StringComparer.Ordinal)
    {
        [Roles.Viewer] = "view",
        [Roles.Developer] = "edit",
        [Roles.Operator] = "edit",
        [Roles.Owner] = "admin",
    };

    /// <summary>The same on protected tiers (prod), where Portal lets Developers read but not deploy.</summary>
    public Dictionary<string, string> ProtectedClusterRoles { get; set; } = new(StringComparer.Ordinal)
    {
        [Roles.Viewer] = "view",
        [Roles.Developer] = "view",
        [Roles.Operator] = "edit",
        [Roles.Owner] = "admin",
    };

    /// <summary>The labels of the ingress controller's namespace, whose pods may reach every environment.</summary>
    public Dictionary<string, string> IngressNamespaceLabels { get; set; } = new(StringComparer.Ordinal)
    {
        ["kubernetes.io/metadata.name"] = "ingress-nginx",
    };

    /// <summary>
    /// A folder of YAML templates applied to new environments: <c>&lt;folder&gt;/all/*.yaml</c> for every tier and
    /// <c>&lt;folder&gt;/&lt;tier&gt;/*.yaml</c> for one. Placeholders: <c>{{ environment }}</c>, <c>{{ namespace }}</c>,
    /// <c>{{ tier }}</c>, <c>{{ team }}</c>, <c>{{ costCentre }}</c>, <c>{{ cluster }}</c>. Empty: none.
    /// </summary>
    public string? ManifestsDirectory { get; set; }

    /// <summary>How long destroying waits for the cluster to finish removing the namespace.</summary>
    public TimeSpan NamespaceDeletionTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class ProvisioningOptionsValidator : IValidateOptions<ProvisioningOptions>
{
    public ValidateOptionsResult Validate(string? name, ProvisioningOptions options)
    {
        const string section = ProvisioningOptions.SectionName;
        var failures = new List<string>();
        foreach (var (role, clusterRole) in options.ClusterRoles.Concat(options.ProtectedClusterRoles))
        {
            if (Roles.Find(role) is not { OrganisationWide: false })
            {
                failures.Add($"{section}:ClusterRoles:{role}: not an environment role; use {string.Join(", ", Roles.All.Where(r => !r.OrganisationWide).Select(r => r.Name))}.");
            }

            if (string.IsNullOrWhiteSpace(clusterRole))
            {
                failures.Add($"{section}:ClusterRoles:{role}: name the ClusterRole to bind.");
            }
        }

        if (!string.IsNullOrEmpty(options.ManifestsDirectory) && !Directory.Exists(options.ManifestsDirectory))
        {
            failures.Add($"{section}:ManifestsDirectory: '{options.ManifestsDirectory}' is not a folder.");
        }
        else if (!string.IsNullOrEmpty(options.ManifestsDirectory))
        {
            try
            {
                _ = ManifestTemplates.Load(options.ManifestsDirectory);
            }
            catch (FormatException ex)
            {
                failures.Add($"{section}:ManifestsDirectory: {ex.Message}");
            }
        }

        if (options.NamespaceDeletionTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{section}:NamespaceDeletionTimeout: must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Port of the adapter: the REST client of a named cluster. Throws DependencyUnavailableException when unknown or down.</summary>
public interface IKubernetesClients
{
    Task<Rest.KubernetesRestClient> ClientForAsync(string cluster, CancellationToken ct);
}
