using Microsoft.Extensions.Options;

namespace Portal.Core.Jobs;

/// <summary>What became of one run: finished (one way or another), to be run again at a time, or not started.</summary>
public abstract record JobRunOutcome
{
    public sealed record Finished(JobState State) : JobRunOutcome;

    public sealed record RetryAt(DateTimeOffset At) : JobRunOutcome;

    public sealed record Missing : JobRunOutcome;
}

/// <summary>
/// Runs a job's steps in order, from the first that is not done: records each attempt, retries a failing step with
/// exponential back-off (by handing back the time of the next attempt, so no thread waits), honours a cancel
/// request between steps, and finishes the job. Any scheduler may call it, as often as it likes: a finished job
/// and a completed step are never run again.
/// </summary>
public sealed class JobRunner(
    IJobStore store, IEnumerable<IJobDefinition> definitions, IOptions<JobEngineOptions> options, TimeProvider clock, JobEvents events, Actions.PortalActions? audit = null)
{
    public const string StepAuditAction = "jobs.step";

    private readonly Dictionary<string, IJobDefinition> _definitions = definitions.ToDictionary(d => d.Kind, StringComparer.Ordinal);

    public async Task<JobRunOutcome> RunAsync(Guid id, string worker, CancellationToken ct)
    {
        var job = await store.FindAsync(id, ct);
        if (job is null)
        {
            return new JobRunOutcome.Missing();
        }

        if (job.IsFinished)
        {
            return new JobRunOutcome.Finished(job.State);
        }

        if (!_definitions.TryGetValue(job.Kind, out var definition))
        {
            return await FinishAsync(job, null, JobState.Failed, $"No definition for job kind '{job.Kind}' in this version of Portal.", ct);
        }

        if (job.State == JobState.Queued || job.Worker != worker)
        {
            job = job with { State = JobState.Running, StartedAt = job.StartedAt ?? clock.GetUtcNow(), Worker = worker };
            await store.SaveJobAsync(job, ct);
            events.Changed(job.Id);
        }

        foreach (var pending in job.Steps.Where(s => !s.IsDone))
        {
            job = await store.FindAsync(id, ct) ?? job;
            if (job.CancelRequested)
            {
                return await FinishAsync(job, definition, JobState.Cancelled, null, ct);
            }

            var step = job.Steps[pending.Index];
            if (step.State == StepState.Retrying && step.NextAttemptAt is { } next && next > clock.GetUtcNow())
            {
                return new JobRunOutcome.RetryAt(next);
            }

            if (step.State == StepState.Failed)
            {
                return await FinishAsync(job, definition, JobState.Failed, job.Error ?? step.Error, ct);
            }

            var outcome = await AttemptAsync(job, definition, step, ct);
            if (outcome is not null)
            {
                return outcome;
            }
        }

        return await FinishAsync(job, definition, JobState.Succeeded, null, ct);
    }

    /// <summary>One attempt of one step; null when it succeeded and the job goes on.</summary>
    private async Task<JobRunOutcome?> AttemptAsync(PortalJob job, IJobDefinition definition, JobStep step, CancellationToken ct)
    {
        var attempt = step.Attempts + 1;
        step = step with { State = StepState.Running, Attempts = attempt, StartedAt = clock.GetUtcNow(), FinishedAt = null, NextAttemptAt = null };
        await store.SaveStepAsync(job.Id, step, ct);
        await LogAsync(job.Id, step.Index, "info", attempt == 1 ? $"Started {step.Name}." : $"Started {step.Name}, attempt {attempt}.", ct);

        try
        {
            await definition.RunStepAsync(new JobStepContext(job, step, (level, message) => LogAsync(job.Id, step.Index, level, message, ct)), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The process is stopping: the step stays Running and runs again wherever the job resumes.
            throw;
        }
        catch (Exception ex)
        {
            var reason = Describe(ex);
            var final = ex is JobStepException { Final: true };
            if (attempt < options.Value.MaxAttempts && !final)
            {
                var next = clock.GetUtcNow() + options.Value.BackoffBefore(attempt + 1);
                await store.SaveStepAsync(job.Id, step with { State = StepState.Retrying, Error = reason, FinishedAt = clock.GetUtcNow(), NextAttemptAt = next }, ct);
                await LogAsync(job.Id, step.Index, "warning", $"Attempt {attempt} of {options.Value.MaxAttempts} failed: {reason} Next attempt at {next:HH:mm:ss} UTC.", ct);
                return new JobRunOutcome.RetryAt(next);
            }

            await FinishStepAsync(job, step with { State = StepState.Failed, Error = reason, FinishedAt = clock.GetUtcNow() }, Audit.AuditOutcome.Failed, reason, ct);
            await LogAsync(job.Id, step.Index, "error", final ? $"Failed: {reason}" : $"Failed after {attempt} attempts: {reason}", ct);
            return await FinishAsync(job, definition, JobState.Failed, final ? $"Step '{step.Name}' failed: {reason}" : $"Step '{step.Name}' failed after {attempt} attempts: {reason}", ct);
        }

        await FinishStepAsync(job, step with { State = StepState.Succeeded, Error = null, FinishedAt = clock.GetUtcNow() }, Audit.AuditOutcome.Succeeded, $"Finished on attempt {attempt}.", ct);
        await LogAsync(job.Id, step.Index, "info", $"Finished {step.Name}.", ct);
        return null;
    }

    /// <summary>
    /// A step's final state and its outcome in the audit trail (under the person the job works for) in one
    /// transaction: a process killed at any moment leaves either both (the step is done and audited once) or neither
    /// (the step runs again and is audited then).
    /// </summary>
    private async Task FinishStepAsync(PortalJob job, JobStep step, Audit.AuditOutcome outcome, string reason, CancellationToken ct)
    {
        if (audit is null)
        {
            await store.SaveStepAsync(job.Id, step, ct);
            return;
        }

        var record = audit.JobRecord(job.RequestedBy, job.Environment, StepAuditAction, $"{job.Kind}:{step.Name}",
            new Dictionary<string, object?> { ["job"] = job.Id, ["attempt"] = step.Attempts, ["worker"] = job.Worker }, outcome, reason);
        await store.SaveStepAsync(job.Id, step, record, ct);
    }

    /// <summary>Ends the job as <paramref name="state"/>; its final record is read here, with every step as stored.</summary>
    private async Task<JobRunOutcome> FinishAsync(PortalJob job, IJobDefinition? definition, JobState state, string? error, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (state == JobState.Cancelled)
        {
            foreach (var step in job.Steps.Where(s => !s.IsDone && s.State != StepState.Failed))
            {
                await store.SaveStepAsync(job.Id, step with { State = StepState.Skipped, NextAttemptAt = null }, ct);
            }

            await LogAsync(job.Id, job.CurrentStep?.Index ?? 0, "warning", $"Cancelled by {job.CancelledBy ?? "someone"}; the remaining steps were skipped.", ct);
        }

        var finished = (await store.FindAsync(job.Id, ct) ?? job) with { State = state, Error = error, FinishedAt = now };

        // The environment first, the job's final state last: if this process dies in between, the job is still
        // unfinished, runs again, finds its steps done and finishes again (OnFinished is idempotent).
        if (definition is not null)
        {
            await definition.OnFinishedAsync(finished, ct);
        }

        await store.SaveJobAsync(finished, ct);

        events.Changed(job.Id);
        return new JobRunOutcome.Finished(state);
    }

    private async Task LogAsync(Guid jobId, int stepIndex, string level, string message, CancellationToken ct)
    {
        await store.AppendLogAsync(jobId, stepIndex, clock.GetUtcNow(), level, message, ct);
        events.Changed(jobId);
    }

    private static string Describe(Exception ex) => ex switch
    {
        JobStepException or Actions.DependencyUnavailableException or Actions.ConflictException => ex.Message,
        HttpRequestException or TimeoutException => $"{ex.Message}",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };
}

/// <summary>In-process notice that a job changed, so open pages refresh at once (other replicas' changes are polled).</summary>
public sealed class JobEvents
{
    public event Action<Guid>? JobChanged;

    public void Changed(Guid id) => JobChanged?.Invoke(id);
}
