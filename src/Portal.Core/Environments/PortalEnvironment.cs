namespace Portal.Core.Environments;

public enum EnvironmentStatus
{
    /// <summary>Stored and waiting for the provisioning job to create its namespace.</summary>
    Requested,

    /// <summary>A prod environment waiting for a second person to approve its creation (four-eyes).</summary>
    AwaitingApproval,
    Provisioning,
    Ready,
    Failed,
    DestroyRequested,
    Destroying,
    Destroyed,

    /// <summary>Its creation was rejected, or its approval expired: nothing was created.</summary>
    Rejected,
}

/// <summary>An environment: the unit everything in Portal happens in, and the scope roles are bound to.</summary>
public sealed record PortalEnvironment
{
    public required string Name { get; init; }
    public required string DisplayName { get; init; }
    public required EnvironmentTier Tier { get; init; }
    public required string Cluster { get; init; }
    public required string Namespace { get; init; }
    public required string OwningTeam { get; init; }
    public required string CostCentre { get; init; }
    public decimal MonthlyBudget { get; init; }

    /// <summary>For ephemeral environments: when it expires. Null for long-lived ones.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The namespace's ResourceQuota: from the tier's defaults or the request.</summary>
    public EnvironmentQuota Quota { get; init; } = EnvironmentQuota.Unset;
    /// <summary>Deployments wait for a second person's approval (four-eyes). Defaults to on for protected tiers.</summary>
    public bool RequireDeployApproval { get; init; }

    /// <summary>A failed rollout is rolled back to the last good release by itself.</summary>
    public bool AutoRollback { get; init; }

    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public EnvironmentStatus Status { get; init; }

    /// <summary>Optimistic concurrency: bumped by every change; a change made against an older version is refused.</summary>
    public int Version { get; init; }

    public EnvironmentRef Ref => new(Name, Tier);

    /// <summary>Gone or never created: no job may act on it any more.</summary>
    public bool IsGone => Status is EnvironmentStatus.Destroyed or EnvironmentStatus.Rejected;

    public TimeSpan? TimeLeft(DateTimeOffset now) => ExpiresAt is { } e ? (e > now ? e - now : TimeSpan.Zero) : null;
}
