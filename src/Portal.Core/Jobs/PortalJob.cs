namespace Portal.Core.Jobs;

public enum JobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public enum StepState
{
    Pending,
    Running,

    /// <summary>An attempt failed and the next one waits for its back-off (<see cref="JobStep.NextAttemptAt"/>).</summary>
    Retrying,
    Succeeded,
    Failed,
    Skipped,
}

/// <summary>One named, idempotent step of a job, with what happened to it.</summary>
public sealed record JobStep(int Index, string Name)
{
    public StepState State { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    public bool IsDone => State is StepState.Succeeded or StepState.Skipped;
}

/// <summary>
/// Long work that must finish or fail cleanly whatever happens to the process running it: an ordered list of
/// steps, each recorded as it runs, so that a restart resumes at the first step that did not complete.
/// </summary>
public sealed record PortalJob
{
    public required Guid Id { get; init; }

    /// <summary>What the job does, e.g. <c>environment.create</c>; names its <see cref="IJobDefinition"/>.</summary>
    public required string Kind { get; init; }

    public string? Environment { get; init; }

    public required string RequestedBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public JobState State { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Why it failed: the step and the reason.</summary>
    public string? Error { get; init; }

    public bool CancelRequested { get; init; }

    public string? CancelledBy { get; init; }

    /// <summary>The scheduler instance that last ran a step (a replica's name).</summary>
    public string? Worker { get; init; }

    public IReadOnlyList<JobStep> Steps { get; init; } = [];

    public bool IsFinished => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    public JobStep? CurrentStep => Steps.FirstOrDefault(s => !s.IsDone);

    /// <summary>Done steps out of all, for a progress bar.</summary>
    public double Progress => Steps.Count == 0 ? 0 : (double)Steps.Count(s => s.IsDone) / Steps.Count;

    public static PortalJob New(string kind, string? environment, string requestedBy, DateTimeOffset now, IEnumerable<string> steps) => new()
    {
        Id = Guid.NewGuid(),
        Kind = kind,
        Environment = environment,
        RequestedBy = requestedBy,
        CreatedAt = now,
        State = JobState.Queued,
        Steps = [.. steps.Select((name, i) => new JobStep(i, name))],
    };
}

/// <summary>A line a step wrote while it ran. <see cref="Sequence"/> orders the lines of a job.</summary>
public sealed record JobLogLine(long Sequence, Guid JobId, int StepIndex, DateTimeOffset At, string Level, string Message);
