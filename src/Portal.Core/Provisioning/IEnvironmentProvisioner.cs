using Portal.Core.Authorization;
using Portal.Core.Environments;

namespace Portal.Core.Provisioning;

/// <summary>The parts of an environment on its cluster, in the order they are created (and reversed to destroy).</summary>
public static class ProvisioningParts
{
    public const string Namespace = "namespace";
    public const string ResourceQuota = "resource-quota";
    public const string LimitRange = "limit-range";
    public const string RoleBindings = "role-bindings";
    public const string NetworkPolicies = "network-policies";
    public const string ExtraManifests = "extra-manifests";

    public static IReadOnlyList<string> All { get; } = [Namespace, ResourceQuota, LimitRange, RoleBindings, NetworkPolicies, ExtraManifests];
}

/// <summary>One object as it will be applied, for the preview and for the step that applies it.</summary>
public sealed record PlannedObject(string Part, string ApiVersion, string Kind, string? Namespace, string Name, string Yaml);

/// <summary>
/// Port: creates, changes and removes what makes an environment on its cluster. Every method is idempotent, so a
/// step that is run again after a crash finds its work done and succeeds.
/// </summary>
public interface IEnvironmentProvisioner
{
    /// <summary>The objects of one part (or of every part when <paramref name="part"/> is null), rendered.</summary>
    IReadOnlyList<PlannedObject> Plan(PortalEnvironment environment, IReadOnlyList<RoleBinding> bindings, string? part = null);

    Task ApplyAsync(PortalEnvironment environment, string part, IReadOnlyList<RoleBinding> bindings, Func<string, Task> log, CancellationToken ct);

    /// <summary>Deletes the part's objects; for the namespace, waits until the cluster has finished removing it.</summary>
    Task DeleteAsync(PortalEnvironment environment, string part, Func<string, Task> log, CancellationToken ct);

    /// <summary>What the environment's namespace uses now (requests and pods), for refusing a quota below it.</summary>
    Task<ResourceUsage> UsageAsync(PortalEnvironment environment, CancellationToken ct);
}
