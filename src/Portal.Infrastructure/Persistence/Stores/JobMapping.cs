using Portal.Core.Approvals;
using Portal.Core.Jobs;
using Portal.Infrastructure.Persistence.Entities;

namespace Portal.Infrastructure.Persistence.Stores;

/// <summary>Job, step and approval rows to domain records and back.</summary>
internal static class JobMapping
{
    public static PortalJob ToDomain(this JobEntity e, IEnumerable<JobStepEntity> steps) => new()
    {
        Id = e.Id,
        Kind = e.Kind,
        Environment = e.Environment,
        RequestedBy = e.RequestedBy,
        CreatedAt = e.CreatedAt,
        State = Enum.Parse<JobState>(e.State),
        StartedAt = e.StartedAt,
        FinishedAt = e.FinishedAt,
        Error = e.Error,
        CancelRequested = e.CancelRequested,
        CancelledBy = e.CancelledBy,
        Worker = e.Worker,
        Steps = [.. steps.OrderBy(s => s.StepIndex).Select(s => s.ToDomain())],
    };

    public static JobStep ToDomain(this JobStepEntity s) => new(s.StepIndex, s.Name)
    {
        State = Enum.Parse<StepState>(s.State),
        Attempts = s.Attempts,
        StartedAt = s.StartedAt,
        FinishedAt = s.FinishedAt,
        Error = s.Error,
        NextAttemptAt = s.NextAttemptAt,
    };

    public static JobEntity ToEntity(this PortalJob j) => new()
    {
        Id = j.Id,
        Kind = j.Kind,
        Environment = j.Environment,
        RequestedBy = j.RequestedBy,
        CreatedAt = j.CreatedAt,
        State = j.State.ToString(),
        StartedAt = j.StartedAt,
        FinishedAt = j.FinishedAt,
        Error = j.Error,
        CancelRequested = j.CancelRequested,
        CancelledBy = j.CancelledBy,
        Worker = j.Worker,
    };

    public static JobStepEntity ToEntity(this JobStep s, Guid jobId) => new()
    {
        JobId = jobId,
        StepIndex = s.Index,
        Name = s.Name,
        State = s.State.ToString(),
        Attempts = s.Attempts,
        StartedAt = s.StartedAt,
        FinishedAt = s.FinishedAt,
        Error = s.Error,
        NextAttemptAt = s.NextAttemptAt,
    };

    public static ApprovalRequest ToDomain(this ApprovalRequestEntity e) => new()
    {
        Id = e.Id,
        Environment = e.Environment,
        Action = Enum.Parse<ApprovalAction>(e.Action),
        RequestedBy = e.RequestedBy,
        RequestedAt = e.RequestedAt,
        ExpiresAt = e.ExpiresAt,
        State = Enum.Parse<ApprovalState>(e.State),
        DecidedBy = e.DecidedBy,
        DecidedAt = e.DecidedAt,
        Comment = e.Comment,
        JobId = e.JobId,
        PreviousStatus = Enum.TryParse<Portal.Core.Environments.EnvironmentStatus>(e.PreviousStatus, out var previous) ? previous : null,
        Release = e.Release,
        Version = e.Version,
    };

    public static ApprovalRequestEntity ToEntity(this ApprovalRequest d) => new()
    {
        Id = d.Id,
        Environment = d.Environment,
        Action = d.Action.ToString(),
        RequestedBy = d.RequestedBy,
        RequestedAt = d.RequestedAt,
        ExpiresAt = d.ExpiresAt,
        State = d.State.ToString(),
        DecidedBy = d.DecidedBy,
        DecidedAt = d.DecidedAt,
        Comment = d.Comment,
        JobId = d.JobId,
        PreviousStatus = d.PreviousStatus?.ToString(),
        Release = d.Release,
        Version = d.Version,
    };
}
