using Microsoft.EntityFrameworkCore;
using Portal.Core.Jobs;
using Portal.Infrastructure.Persistence.Entities;

namespace Portal.Infrastructure.Persistence.Stores;

/// <summary>The job records in Portal's database. Each write is one short statement, so runners on several replicas never hold locks.</summary>
public sealed class EfJobStore(IDbContextFactory<PortalDbContext> contexts) : IJobStore
{
    private static readonly string[] Unfinished = [nameof(JobState.Queued), nameof(JobState.Running)];

    public async Task<PortalJob?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        return job is null ? null : job.ToDomain(await db.JobSteps.AsNoTracking().Where(s => s.JobId == id).ToListAsync(ct));
    }

    public async Task<JobPage> ListAsync(JobQuery query, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = db.Jobs.AsNoTracking().AsQueryable();
        if (query.VisibleEnvironments is { } visible)
        {
            var names = visible.ToList();
            rows = rows.Where(j => j.Environment != null && names.Contains(j.Environment));
        }

        if (query.Environment is { } environment)
        {
            rows = rows.Where(j => j.Environment == environment);
        }

        if (query.Kind is { } kind)
        {
            rows = rows.Where(j => j.Kind == kind);
        }

        if (query.State is { } state)
        {
            var text = state.ToString();
            rows = rows.Where(j => j.State == text);
        }

        if (query.RequestedBy is { } by)
        {
            var lower = by.ToLowerInvariant();
            rows = rows.Where(j => j.RequestedBy.ToLower() == lower);
        }

        if (query.From is { } from)
        {
            rows = rows.Where(j => j.CreatedAt >= from);
        }

        if (query.To is { } to)
        {
            rows = rows.Where(j => j.CreatedAt < to);
        }

        var total = await rows.CountAsync(ct);
        var page = await rows.OrderByDescending(j => j.CreatedAt).ThenBy(j => j.Id).Skip(query.Skip).Take(query.Take).ToListAsync(ct);
        return new JobPage(await WithStepsAsync(db, page, ct), total);
    }

    public async Task<IReadOnlyList<PortalJob>> UnfinishedAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Jobs.AsNoTracking().Where(j => Unfinished.Contains(j.State)).ToListAsync(ct);
        return await WithStepsAsync(db, rows, ct);
    }

    public async Task SaveStepAsync(Guid jobId, JobStep step, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await UpdateStepAsync(db, jobId, step, ct);
    }

    public async Task SaveStepAsync(Guid jobId, JobStep step, Portal.Core.Audit.AuditRecord record, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await UpdateStepAsync(db, jobId, step, ct);
        db.AuditRecords.Add(record.ToEntity());
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private static async Task UpdateStepAsync(PortalDbContext db, Guid jobId, JobStep step, CancellationToken ct)
    {
        var state = step.State.ToString();
        await db.JobSteps.Where(s => s.JobId == jobId && s.StepIndex == step.Index).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.State, state)
            .SetProperty(s => s.Attempts, step.Attempts)
            .SetProperty(s => s.StartedAt, step.StartedAt)
            .SetProperty(s => s.FinishedAt, step.FinishedAt)
            .SetProperty(s => s.Error, step.Error)
            .SetProperty(s => s.NextAttemptAt, step.NextAttemptAt), ct);
    }

    public async Task SaveJobAsync(PortalJob job, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var state = job.State.ToString();
        await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(u => u
            .SetProperty(j => j.State, state)
            .SetProperty(j => j.StartedAt, job.StartedAt)
            .SetProperty(j => j.FinishedAt, job.FinishedAt)
            .SetProperty(j => j.Error, job.Error)
            .SetProperty(j => j.Worker, job.Worker), ct);
    }

    public async Task<bool> ResetForRetryAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var queued = nameof(JobState.Queued);
        var failed = nameof(JobState.Failed);
        try
        {
            return await db.Jobs.Where(j => j.Id == id && j.State == failed).ExecuteUpdateAsync(u => u
            .SetProperty(j => j.State, queued)
            .SetProperty(j => j.Error, (string?)null)
            .SetProperty(j => j.FinishedAt, (DateTimeOffset?)null)
            .SetProperty(j => j.CancelRequested, false)
            .SetProperty(j => j.CancelledBy, (string?)null), ct) > 0;
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 2067 } or Npgsql.PostgresException { SqlState: "23505" })
        {
            // Another job of the environment became unfinished meanwhile (the unique index): not retried.
            return false;
        }
    }

    public async Task<bool> RequestCancelAsync(Guid id, string by, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Jobs.Where(j => j.Id == id && Unfinished.Contains(j.State)).ExecuteUpdateAsync(u => u
            .SetProperty(j => j.CancelRequested, true)
            .SetProperty(j => j.CancelledBy, by), ct) > 0;
    }

    public async Task AppendLogAsync(Guid jobId, int stepIndex, DateTimeOffset at, string level, string message, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.JobLogs.Add(new JobLogEntity { JobId = jobId, StepIndex = stepIndex, At = at, Level = level, Message = message.Length > 4000 ? message[..4000] : message });
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<JobLogLine>> LogAsync(Guid jobId, long afterSequence, int max, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return [.. (await db.JobLogs.AsNoTracking().Where(l => l.JobId == jobId && l.Sequence > afterSequence).OrderBy(l => l.Sequence).Take(max).ToListAsync(ct))
            .Select(l => new JobLogLine(l.Sequence, l.JobId, l.StepIndex, l.At, l.Level, l.Message))];
    }

    private static async Task<IReadOnlyList<PortalJob>> WithStepsAsync(PortalDbContext db, List<JobEntity> jobs, CancellationToken ct)
    {
        var ids = jobs.Select(j => j.Id).ToList();
        var steps = (await db.JobSteps.AsNoTracking().Where(s => ids.Contains(s.JobId)).ToListAsync(ct)).ToLookup(s => s.JobId);
        return [.. jobs.Select(j => j.ToDomain(steps[j.Id]))];
    }
}
