using Portal.Core.Environments;

namespace Portal.Web.Features.Environments;

/// <summary>An environment as the API shows it.</summary>
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
    EnvironmentStatus Status,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    int Version)
{
    public static EnvironmentDto From(PortalEnvironment e) => new(
        e.Name, e.DisplayName, e.Tier, e.Cluster, e.Namespace, e.OwningTeam, e.CostCentre, e.MonthlyBudget,
        e.ExpiresAt, e.Labels, e.Status, e.CreatedBy, e.CreatedAt, e.Version);
}

public sealed record ExtendRequest(int Hours);
