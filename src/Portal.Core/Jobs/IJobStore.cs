namespace Portal.Core.Jobs;

/// <summary>Which jobs to list; null filters match everything. Pages are newest first.</summary>
public sealed record JobQuery
{
    public string? Environment { get; init; }

    public string? Kind { get; init; }

    public JobState? State { get; init; }

    public string? RequestedBy { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>Only jobs in these environments (the ones the caller may see); null means no restriction.</summary>
    public IReadOnlyCollection<string>? VisibleEnvironments { get; init; }

    public int Skip { get; init; }

    public int Take { get; init; } = 50;
}

public sealed record JobPage(IReadOnlyList<PortalJob> Items, int Total);

/// <summary>
/// Port: the record of every job and its steps and log, in Portal's database. New jobs are added through the
/// unit of work (so a job and the change that asked for it commit together); the runner writes through here.
/// </summary>
public interface IJobStore
{
    Task<PortalJob?> FindAsync(Guid id, CancellationToken ct);

    Task<JobPage> ListAsync(JobQuery query, CancellationToken ct);

    /// <summary>Jobs that are not finished: the ones a scheduler must hold a trigger for.</summary>
    Task<IReadOnlyList<PortalJob>> UnfinishedAsync(CancellationToken ct);

    Task SaveStepAsync(Guid jobId, JobStep step, CancellationToken ct);

    /// <summary>A step's final state together with its audit record, in one transaction (both or neither).</summary>
    Task SaveStepAsync(Guid jobId, JobStep step, Audit.AuditRecord record, CancellationToken ct);

    /// <summary>
    /// Writes the job's own fields (state, times, error, worker), not its steps and not the cancel flag: a cancel
    /// request made meanwhile is never overwritten by a runner saving what it read before.
    /// </summary>
    Task SaveJobAsync(PortalJob job, CancellationToken ct);

    /// <summary>A failed job back to Queued with no error and no cancel request, for a retry; false when it was not Failed.</summary>
    Task<bool> ResetForRetryAsync(Guid id, CancellationToken ct);

    /// <summary>Sets the cancel flag of an unfinished job; false when the job had already finished.</summary>
    Task<bool> RequestCancelAsync(Guid id, string by, CancellationToken ct);

    Task AppendLogAsync(Guid jobId, int stepIndex, DateTimeOffset at, string level, string message, CancellationToken ct);

    Task<IReadOnlyList<JobLogLine>> LogAsync(Guid jobId, long afterSequence, int max, CancellationToken ct);
}

/// <summary>Port: hands a job to the scheduler, now or at a time (a retry's back-off). Idempotent per job.</summary>
public interface IJobDispatcher
{
    Task DispatchAsync(Guid jobId, DateTimeOffset? at, CancellationToken ct);
}
