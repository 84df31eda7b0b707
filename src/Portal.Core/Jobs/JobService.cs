using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Environments;

namespace Portal.Core.Jobs;

/// <summary>Jobs for people: list and read what they may see, cancel, and retry from the failed step.</summary>
public sealed class JobService(IJobStore store, EnvironmentService environments, PortalActions actions, IJobDispatcher dispatcher, IEnumerable<IJobDefinition> definitions)
{
    private readonly Dictionary<string, IJobDefinition> _definitions = definitions.ToDictionary(d => d.Kind, StringComparer.Ordinal);

    public async Task<JobPage> ListAsync(PortalPrincipal who, JobQuery query, CancellationToken ct)
    {
        var visible = (await environments.ListAsync(who, ct)).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        return await store.ListAsync(query with { VisibleEnvironments = visible }, ct);
    }

    /// <summary>The job, or null when it does not exist or <paramref name="who"/> may not see its environment.</summary>
    public async Task<PortalJob?> GetAsync(PortalPrincipal who, Guid id, CancellationToken ct)
    {
        var job = await store.FindAsync(id, ct);
        return job is not null && await MaySeeAsync(who, job, ct) ? job : null;
    }

    public async Task<IReadOnlyList<JobLogLine>> LogAsync(PortalPrincipal who, Guid id, long afterSequence, CancellationToken ct) =>
        await GetAsync(who, id, ct) is null ? [] : await store.LogAsync(id, afterSequence, 2000, ct);

    public string Describe(PortalJob job) => _definitions.TryGetValue(job.Kind, out var d) ? d.Describe(job) : job.Kind;

    /// <summary>Whether <paramref name="who"/> may cancel or retry the job (for showing buttons; the actions check again).</summary>
    public async Task<bool> MayManageAsync(PortalPrincipal who, PortalJob job, CancellationToken ct) =>
        await environments.FindAsync(job.Environment ?? "", ct) is { } e
        && (await actions.CheckAsync(who, Permissions.JobsManage, e.Ref, ct)).Allowed;

    /// <summary>The current step finishes (steps are short and idempotent); the ones after it are skipped.</summary>
    public Task<ActionResult<PortalJob>> CancelAsync(ActorContext actor, Guid id, CancellationToken ct) =>
        ManageAsync(actor, id, "jobs.cancel", async (job, _, token) =>
        {
            if (job.IsFinished || !await store.RequestCancelAsync(id, actor.Principal.UserName, token))
            {
                throw new ConflictException($"The job has already {job.State.ToString().ToLowerInvariant()}; there is nothing to cancel.");
            }
        }, ct);

    /// <summary>A failed job runs again from the step that failed, with a fresh budget of attempts; done steps stay done.</summary>
    public Task<ActionResult<PortalJob>> RetryAsync(ActorContext actor, Guid id, CancellationToken ct) =>
        ManageAsync(actor, id, "jobs.retry", async (job, work, token) =>
        {
            if (job.State != JobState.Failed)
            {
                throw new ConflictException($"Only a failed job can be retried; this one is {job.State.ToString().ToLowerInvariant()}.");
            }

            // The same rules as starting it: one job per environment at a time, and never on one that is gone.
            var environment = await work.Environments.FindAsync(job.Environment ?? "", token);
            if (environment is null || environment.IsGone)
            {
                throw new ConflictException($"'{job.Environment}' is {environment?.Status.ToString() ?? "gone"}; this job can no longer run.");
            }

            await EnvironmentService.RefuseWhileBusyAsync(work, environment.Name, token);

            // Steps first, then the job's state (conditionally): a runner only starts once both are ready, and of two
            // retries at once only one gets the job.
            foreach (var step in job.Steps.Where(s => s.State is StepState.Failed or StepState.Skipped or StepState.Running or StepState.Retrying))
            {
                await store.SaveStepAsync(id, step with { State = StepState.Pending, Attempts = 0, Error = null, NextAttemptAt = null, FinishedAt = null }, token);
            }

            if (!await store.ResetForRetryAsync(id, token))
            {
                throw new ConflictException("Someone retried this job a moment ago.");
            }
        }, ct);

    private async Task<ActionResult<PortalJob>> ManageAsync(ActorContext actor, Guid id, string name, Func<PortalJob, IPortalUnitOfWork, CancellationToken, Task> change, CancellationToken ct)
    {
        var job = await store.FindAsync(id, ct);
        var environment = job is null ? null : await environments.FindAsync(job.Environment ?? "", ct);
        var request = new ActionRequest(Permissions.JobsManage, environment?.Ref, id.ToString(), new Dictionary<string, object?> { ["kind"] = job?.Kind }) { Name = name };
        if (job is null || environment is null)
        {
            return await actions.NotFoundAsync<PortalJob>(actor, request, $"Job '{id}'", ct);
        }

        var result = await actions.RunAsync(actor, request, async (work, token) =>
        {
            await change(job, work, token);
            return await store.FindAsync(id, token) ?? job;
        }, ct);
        if (result.Succeeded)
        {
            await JobDispatch.TryAsync(dispatcher, id);
        }

        // Someone who may not see the environment learns nothing about it from a job id, not even its name.
        return result is ActionResult<PortalJob>.NotFound ? new ActionResult<PortalJob>.NotFound($"Job '{id}'") : result;
    }

    private async Task<bool> MaySeeAsync(PortalPrincipal who, PortalJob job, CancellationToken ct) =>
        job.Environment is { } name && await environments.GetAsync(who, name, ct) is not null;
}
