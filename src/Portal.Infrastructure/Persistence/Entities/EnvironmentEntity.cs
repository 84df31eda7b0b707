namespace Portal.Infrastructure.Persistence.Entities;

public sealed class EnvironmentEntity
{
    public required string Name { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>The tier's wire form: dev, test, staging or prod.</summary>
    public required string Tier { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string Cluster { get; set; } = "sandbox";

    public string Namespace { get; set; } = "";

    public string OwningTeam { get; set; } = "";

    public string CostCentre { get; set; } = "";

    public decimal MonthlyBudget { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>JSON object of label key to value.</summary>
    public string Labels { get; set; } = "{}";

    public string CreatedBy { get; set; } = "";

    public string Status { get; set; } = "Requested";

    public string QuotaCpu { get; set; } = "";

    public string QuotaMemory { get; set; } = "";

    public int QuotaPods { get; set; }

    public bool RequireDeployApproval { get; set; }

    public bool AutoRollback { get; set; }

    /// <summary>Concurrency token: a change is written only if this is still the version it was made against.</summary>
    public int Version { get; set; } = 1;
}
