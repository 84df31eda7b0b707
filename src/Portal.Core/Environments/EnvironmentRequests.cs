namespace Portal.Core.Environments;

/// <summary>What a user asks for when creating an environment. Text as typed; the validator says what is wrong.</summary>
public sealed record CreateEnvironmentRequest
{
    public string? Name { get; init; }
    public string? DisplayName { get; init; }
    public string? Tier { get; init; }
    public string? Cluster { get; init; }
    public string? Namespace { get; init; }
    public string? OwningTeam { get; init; }
    public string? CostCentre { get; init; }
    public decimal? MonthlyBudget { get; init; }

    /// <summary>Hours until an ephemeral environment expires; null takes the tier's default.</summary>
    public int? TimeToLiveHours { get; init; }

    public Dictionary<string, string>? Labels { get; init; }

    /// <summary>The namespace's quota; parts left out take the tier's defaults.</summary>
    public QuotaRequest? Quota { get; init; }
}

/// <summary>A partial change: null fields stay as they are. <see cref="ExpectedVersion"/> guards against lost updates.</summary>
public sealed record UpdateEnvironmentRequest
{
    public string? DisplayName { get; init; }
    public string? OwningTeam { get; init; }
    public string? CostCentre { get; init; }
    public decimal? MonthlyBudget { get; init; }
    public Dictionary<string, string>? Labels { get; init; }

    /// <summary>A new quota: refused when below what the environment already uses.</summary>
    public QuotaRequest? Quota { get; init; }

    /// <summary>Deployments need a second person's approval.</summary>
    public bool? RequireDeployApproval { get; init; }

    /// <summary>A failed rollout rolls back to the last good release by itself.</summary>
    public bool? AutoRollback { get; init; }

    public int? ExpectedVersion { get; init; }
}
