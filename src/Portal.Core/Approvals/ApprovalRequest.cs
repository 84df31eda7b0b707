namespace Portal.Core.Approvals;

public enum ApprovalState
{
    Pending,
    Approved,
    Rejected,
    Expired,
}

/// <summary>What waits for a second person: creating or destroying a protected (prod) environment, or a deploy to an environment that requires it.</summary>
public enum ApprovalAction
{
    Create,
    Destroy,
    Deploy,
}

/// <summary>A four-eyes request: one person asks, a different person with Owner or PortalAdmin decides.</summary>
public sealed record ApprovalRequest
{
    public required Guid Id { get; init; }

    public required string Environment { get; init; }

    public required ApprovalAction Action { get; init; }

    public required string RequestedBy { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public ApprovalState State { get; init; }

    public string? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public string? Comment { get; init; }

    /// <summary>The job an approval started.</summary>
    public Guid? JobId { get; init; }

    /// <summary>For a destruction: the environment's status when it was asked for, restored if it is not approved.</summary>
    public Environments.EnvironmentStatus? PreviousStatus { get; init; }

    /// <summary>For a deploy: the release waiting for the approval.</summary>
    public Guid? Release { get; init; }

    public int Version { get; init; } = 1;

    public bool IsOpen(DateTimeOffset now) => State == ApprovalState.Pending && ExpiresAt > now;
}
