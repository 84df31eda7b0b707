using Portal.Core.Jobs;

namespace Portal.Core.Tests.Jobs;

/// <summary>
/// <see cref="IJobStore"/> in memory, with the EF store's semantics: a job's fields and its steps are written
/// separately, and a cancel request only lands on an unfinished job.
/// </summary>
public sealed class InMemoryJobStore : IJobStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, PortalJob> _jobs = [];
    private readonly List<JobLogLine> _log = [];

    /// <summary>Stores the job as it is, steps included (what the unit of work does when a job is requested).</summary>
    public PortalJob Add(PortalJob job)
    {
        lock (_gate)
        {
            _jobs[job.Id] = job;
        }

        return job;
    }

    public PortalJob Get(Guid id)
    {
        lock (_gate)
        {
            return _jobs[id];
        }
    }

    public IReadOnlyList<JobLogLine> Lines(Guid id)
    {
        lock (_gate)
        {
            return [.. _log.Where(l => l.JobId == id)];
        }
    }

    public Task<PortalJob?> FindAsync(Guid id, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_jobs.GetValueOrDefault(id));
        }
    }

    public Task<JobPage> ListAsync(JobQuery query, CancellationToken ct)
    {
        lock (_gate)
        {
            var rows = _jobs.Values
                .Where(j => query.VisibleEnvironments is null || (j.Environment is not null && query.VisibleEnvironments.Contains(j.Environment)))
                .Where(j => query.Environment is null || j.Environment == query.Environment)
                .Where(j => query.Kind is null || j.Kind == query.Kind)
                .Where(j => query.State is null || j.State == query.State)
                .Where(j => query.RequestedBy is null || string.Equals(j.RequestedBy, query.RequestedBy, StringComparison.OrdinalIgnoreCase))
                .Where(j => query.From is null || j.CreatedAt >= query.From)
                .Where(j => query.To is null || j.CreatedAt < query.To)
                .OrderByDescending(j => j.CreatedAt).ThenBy(j => j.Id)
                .ToList();
            return Task.FromResult(new JobPage([.. rows.Skip(query.Skip).Take(query.Take)], rows.Count));
        }
    }

    public Task<IReadOnlyList<PortalJob>> UnfinishedAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<PortalJob>>([.. _jobs.Values.Where(j => !j.IsFinished)]);
        }
    }

    public Task SaveStepAsync(Guid jobId, JobStep step, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_jobs.TryGetValue(jobId, out var job))
            {
                _jobs[jobId] = job with { Steps = [.. job.Steps.Select(s => s.Index == step.Index ? step : s)] };
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The audit records written with a step's final state.</summary>
    public List<Portal.Core.Audit.AuditRecord> StepRecords { get; } = [];

    public Task SaveStepAsync(Guid jobId, JobStep step, Portal.Core.Audit.AuditRecord record, CancellationToken ct)
    {
        lock (_gate)
        {
            StepRecords.Add(record);
        }

        return SaveStepAsync(jobId, step, ct);
    }

    public Task SaveJobAsync(PortalJob job, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_jobs.TryGetValue(job.Id, out var stored))
            {
                // Like the EF store: the cancel flag is the canceller's to write, never a runner's.
                _jobs[job.Id] = job with { Steps = stored.Steps, CancelRequested = stored.CancelRequested, CancelledBy = stored.CancelledBy };
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> ResetForRetryAsync(Guid id, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(id, out var job) || job.State != JobState.Failed)
            {
                return Task.FromResult(false);
            }

            _jobs[id] = job with { State = JobState.Queued, Error = null, FinishedAt = null, CancelRequested = false, CancelledBy = null };
            return Task.FromResult(true);
        }
    }

    public Task<bool> RequestCancelAsync(Guid id, string by, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(id, out var job) || job.IsFinished)
            {
                return Task.FromResult(false);
            }

            _jobs[id] = job with { CancelRequested = true, CancelledBy = by };
            return Task.FromResult(true);
        }
    }

    public Task AppendLogAsync(Guid jobId, int stepIndex, DateTimeOffset at, string level, string message, CancellationToken ct)
    {
        lock (_gate)
        {
            _log.Add(new JobLogLine(_log.Count + 1, jobId, stepIndex, at, level, message));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<JobLogLine>> LogAsync(Guid jobId, long afterSequence, int max, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<JobLogLine>>([.. _log.Where(l => l.JobId == jobId && l.Sequence > afterSequence).Take(max)]);
        }
    }
}
