using Portal.Core.Jobs;

namespace Portal.Web.Features.Jobs;

/// <summary>A job as the API shows it: what it does in words, how far it got, and each step.</summary>
public sealed record JobDto(
    Guid Id,
    string Kind,
    string Description,
    string? Environment,
    JobState State,
    double Progress,
    string RequestedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    bool CancelRequested,
    string? CancelledBy,
    IReadOnlyList<JobStepDto> Steps)
{
    public static JobDto From(PortalJob job, string description) => new(
        job.Id, job.Kind, description, job.Environment, job.State, job.Progress, job.RequestedBy, job.CreatedAt,
        job.StartedAt, job.FinishedAt, job.Error, job.CancelRequested, job.CancelledBy, [.. job.Steps.Select(JobStepDto.From)]);
}

public sealed record JobStepDto(
    int Index,
    string Name,
    StepState State,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    DateTimeOffset? NextAttemptAt)
{
    public static JobStepDto From(JobStep s) => new(s.Index, s.Name, s.State, s.Attempts, s.StartedAt, s.FinishedAt, s.Error, s.NextAttemptAt);
}

public sealed record JobListDto(IReadOnlyList<JobDto> Items, int Total);

/// <summary>One line of a job's log; ask for the lines after the last <see cref="Sequence"/> you have.</summary>
public sealed record JobLogLineDto(long Sequence, int StepIndex, DateTimeOffset At, string Level, string Message)
{
    public static JobLogLineDto From(JobLogLine l) => new(l.Sequence, l.StepIndex, l.At, l.Level, l.Message);
}
