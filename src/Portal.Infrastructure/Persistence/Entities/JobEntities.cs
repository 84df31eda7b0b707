namespace Portal.Infrastructure.Persistence.Entities;

public sealed class JobEntity
{
    public Guid Id { get; set; }

    public required string Kind { get; set; }

    public string? Environment { get; set; }

    public required string RequestedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string State { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string? Error { get; set; }

    public bool CancelRequested { get; set; }

    public string? CancelledBy { get; set; }

    public string? Worker { get; set; }
}

public sealed class JobStepEntity
{
    public Guid JobId { get; set; }

    public int StepIndex { get; set; }

    public required string Name { get; set; }

    public required string State { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }
}

public sealed class JobLogEntity
{
    public long Sequence { get; set; }

    public Guid JobId { get; set; }

    public int StepIndex { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Level { get; set; }

    public required string Message { get; set; }
}

public sealed class ApprovalRequestEntity
{
    public Guid Id { get; set; }

    public required string Environment { get; set; }

    public required string Action { get; set; }

    public required string RequestedBy { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public required string State { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? Comment { get; set; }

    public Guid? JobId { get; set; }

    public string? PreviousStatus { get; set; }

    public int Version { get; set; } = 1;

    public Guid? Release { get; set; }
}
