using Portal.Core.Environments;

namespace Portal.Web.Features.Environments;

/// <summary>An environment as the API shows it.</summary>
/// <param name="Quota">The namespace's quota; null when the environment takes its tier's defaults.</param>
/// <param name="RequireDeployApproval">Deploys wait for a second person's approval.</param>
/// <param name="AutoRollback">A failed rollout rolls back to the last good release by itself.</param>
public sealed record EnvironmentDto(
    string Name,
    string DisplayName,
    EnvironmentTier Tier,
    string Cluster,
    string Namespace,
    string OwningTeam,
    string CostCentre,
    decimal MonthlyBudget,
    DateTimeOffset? ExpiresAt,
    IReadOnlyDictionary<string, string> Labels,
    QuotaDto? Quota,
    bool RequireDeployApproval,
    bool AutoRollback,
    EnvironmentStatus Status,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    int Version)
{
    public static EnvironmentDto From(PortalEnvironment e) => new(
        e.Name, e.DisplayName, e.Tier, e.Cluster, e.Namespace, e.OwningTeam, e.CostCentre, e.MonthlyBudget,
        e.ExpiresAt, e.Labels, e.Quota.IsSet ? new QuotaDto(e.Quota.Cpu, e.Quota.Memory, e.Quota.Pods) : null,
        e.RequireDeployApproval, e.AutoRollback, e.Status, e.CreatedBy, e.CreatedAt, e.Version);
}

/// <summary>CPU and memory requests as Kubernetes quantities, and a pod count.</summary>
public sealed record QuotaDto(string Cpu, string Memory, int Pods);

public sealed record ExtendRequest(int Hours);
