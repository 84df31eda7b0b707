using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Approvals;
using Portal.Core.Environments;
using Portal.Core.Jobs;

namespace Portal.Core.Deployments;

/// <summary>
/// Applies a release's manifests (server-side apply), then watches the rollout until <see cref="RolloutJudge"/>
/// calls it done or failed, sampling the replica counts for the chart. When it ends: the release's outcome, an
/// automatic rollback if the environment asks for one, and the next queued release of the service.
/// </summary>
public sealed class DeployJob(
    IUnitOfWorkFactory units,
    IServiceDeployer deployer,
    IJobStore jobs,
    IJobDispatcher dispatcher,
    PortalActions actions,
    IOptions<DeploymentOptions> options,
    IOptions<EnvironmentPolicyOptions> policy,
    TimeProvider clock) : IJobDefinition
{
    public string Kind => DeployJobKinds.Rollout;

    public string Describe(PortalJob job) => $"Deploy to {job.Environment}";

    public async Task RunStepAsync(JobStepContext context, CancellationToken ct)
    {
        var release = await ReleaseAsync(context.Job.Id, ct);
        var environment = await EnvironmentAsync(release.Environment, ct);
        if (environment.IsGone || environment.Status is EnvironmentStatus.Destroying or EnvironmentStatus.DestroyRequested)
        {
            throw new JobStepException($"Environment '{environment.Name}' is {environment.Status}; nothing is deployed to it.") { Final = true };
        }

        if (context.Step.Name == DeployJobKinds.Apply)
        {
            if (release.State == ReleaseState.Pending)
            {
                release = await SaveAsync(release, r => r with { State = ReleaseState.RollingOut, StartedAt = clock.GetUtcNow() }, ct);
            }

            await context.LogAsync($"{Title(release)}: applying {release.Manifests.Count} objects to {environment.Namespace} on {environment.Cluster}.");
            await deployer.ApplyAsync(environment, release.Service, release.Manifests, context.LogAsync, ct);
            return;
        }

        await WatchAsync(context, release, environment, ct);
    }

    public async Task OnFinishedAsync(PortalJob job, CancellationToken ct)
    {
        var release = await FindByJobAsync(job.Id, ct);
        if (release is null)
        {
            return;
        }

        if (!release.IsFinished)
        {
            var state = job.State switch
            {
                JobState.Succeeded => ReleaseState.Succeeded,
                _ when job.CancelRequested => ReleaseState.Cancelled,
                _ => ReleaseState.Failed,
            };
            release = await SaveAsync(release, r => r with
            {
                State = state,
                FinishedAt = clock.GetUtcNow(),
                StartedAt = r.StartedAt ?? job.StartedAt,
                Failure = state == ReleaseState.Succeeded ? null : r.Failure ?? job.Error,
                FailureReason = state == ReleaseState.Succeeded ? null : state == ReleaseState.Cancelled ? RolloutProblems.Cancelled : r.FailureReason ?? RolloutProblems.ApplyFailed,
            }, ct);
        }

        if (release.State == ReleaseState.Failed && await AutoRollbackAsync(release, ct))
        {
            return;
        }

        await StartNextQueuedAsync(release.Service, release.Environment, ct);
    }

    private async Task WatchAsync(JobStepContext context, Release release, PortalEnvironment environment, CancellationToken ct)
    {
        var started = release.StartedAt ?? clock.GetUtcNow();
        var last = release.Samples.LastOrDefault();
        var lastProblem = "";
        while (true)
        {
            var status = await deployer.RolloutAsync(environment, release.Service, ct);
            var now = clock.GetUtcNow();
            var sample = new RolloutSample(now, status.Desired, status.Updated, status.Ready, status.Available);
            if (last is null || (last.Desired, last.Updated, last.Ready, last.Available) != (sample.Desired, sample.Updated, sample.Ready, sample.Available))
            {
                release = await SaveAsync(release, r => r with { Samples = [.. r.Samples, sample] }, ct);
                last = sample;
                await context.LogAsync($"{status.Updated} of {status.Desired} updated, {status.Ready} ready, {status.Available} available.");
            }

            var problem = status.Problems.FirstOrDefault()?.Message ?? "";
            if (problem != lastProblem && problem.Length > 0)
            {
                await context.WarnAsync(problem);
            }

            lastProblem = problem;
            switch (RolloutJudge.Judge(status, started, now, options.Value, release.Spec.HealthCheckPath))
            {
                case RolloutVerdict.Succeeded:
                    await context.LogAsync($"{Title(release)} rolled out: {status.Available} of {status.Desired} replicas available.");
                    return;
                case RolloutVerdict.Failed failed:
                    await SaveAsync(release, r => r with { Failure = failed.Message, FailureReason = failed.Reason }, ct);
                    throw new JobStepException(failed.Message) { Final = true };
            }

            if ((await jobs.FindAsync(context.Job.Id, ct))?.CancelRequested == true)
            {
                await SaveAsync(release, r => r with { Failure = "Cancelled while rolling out; what was applied stays applied.", FailureReason = RolloutProblems.Cancelled }, ct);
                throw new JobStepException("Cancelled while rolling out; what was applied stays applied (roll back to undo it).") { Final = true };
            }

            await Task.Delay(options.Value.PollInterval, clock, ct);
        }
    }

    /// <summary>Rolls a failed release back to the last good one when the environment asks for it; true when it did.</summary>
    private async Task<bool> AutoRollbackAsync(Release failed, CancellationToken ct)
    {
        if (failed.Kind == ReleaseKind.Rollback)
        {
            return false;
        }

        var environment = await EnvironmentAsync(failed.Environment, ct);
        if (!environment.AutoRollback)
        {
            return false;
        }

        Guid? jobId = null;
        var action = new ActionRequest(Authorization.Permissions.DeploymentsRollback, environment.Ref, $"{failed.Service}@{failed.Environment}",
            new Dictionary<string, object?> { ["failedRelease"] = failed.Id, ["number"] = failed.Number }) { Name = "deployments.auto-rollback" };
        try
        {
            var done = await actions.RunAsSystemAsync(ApprovalService.SystemActor, action, async (work, token) =>
            {
                if ((await work.Releases.ListAsync(new ReleaseQuery { Service = failed.Service, Environment = failed.Environment, Take = 50 }, token))
                    .Any(r => r.Source == failed.Id && r.Kind == ReleaseKind.Rollback))
                {
                    return false; // already rolled back (this ran before, then the process stopped)
                }

                var good = (await work.Releases.ListAsync(new ReleaseQuery { Service = failed.Service, Environment = failed.Environment, States = [ReleaseState.Succeeded], Take = 1 }, token)).FirstOrDefault();
                if (good is null)
                {
                    return false;
                }

                var rollback = new Release
                {
                    Id = Guid.NewGuid(),
                    Service = good.Service,
                    Environment = good.Environment,
                    Number = await work.Releases.NextNumberAsync(good.Service, good.Environment, token),
                    Kind = ReleaseKind.Rollback,
                    Source = good.Id,
                    Spec = good.Spec,
                    Manifests = good.Manifests,
                    RequestedBy = failed.RequestedBy,
                    CreatedAt = clock.GetUtcNow(),
                };
                (rollback, jobId) = await ReleaseStarter.PlaceAsync(work, environment, rollback, queue: false, approved: true, policy.Value.ApprovalExpiryHours, clock.GetUtcNow(), token);
                work.Releases.Add(rollback);
                return true;
            }, ct);
            if (jobId is { } id)
            {
                await JobDispatch.TryAsync(dispatcher, id);
            }

            return done;
        }
        catch (ConflictException)
        {
            return false; // someone deployed meanwhile: theirs wins
        }
    }

    /// <summary>The oldest release waiting behind this one, started (or sent for approval) now that the service is free.</summary>
    private async Task StartNextQueuedAsync(string service, string environmentName, CancellationToken ct)
    {
        Guid? jobId = null;
        try
        {
            await using var work = units.Begin();
            var next = (await work.Releases.ListAsync(new ReleaseQuery { Service = service, Environment = environmentName, States = [ReleaseState.Queued], Take = 500 }, ct))
                .OrderBy(r => r.CreatedAt).FirstOrDefault();
            if (next is null)
            {
                return;
            }

            var environment = await work.Environments.FindAsync(environmentName, ct);
            if (environment is null || environment.Status != EnvironmentStatus.Ready)
            {
                work.Releases.Update(next with { State = ReleaseState.Cancelled, FinishedAt = clock.GetUtcNow(), Failure = $"Environment '{environmentName}' is no longer ready.", FailureReason = RolloutProblems.Cancelled, Version = next.Version + 1 }, next.Version);
                await work.CommitAsync(ct);
                return;
            }

            var (placed, id) = await ReleaseStarter.PlaceAsync(work, environment, next, queue: true, approved: false, policy.Value.ApprovalExpiryHours, clock.GetUtcNow(), ct);
            if (placed.State == ReleaseState.Queued)
            {
                return; // something else holds the service (an automatic rollback): this one waits for it
            }

            work.Releases.Update(placed with { Version = next.Version + 1 }, next.Version);
            await work.CommitAsync(ct);
            jobId = id;
        }
        catch (ConflictException)
        {
            return; // another replica started it
        }

        if (jobId is { } started)
        {
            await JobDispatch.TryAsync(dispatcher, started);
        }
    }

    private static string Title(Release r) => $"Release #{r.Number} of {r.Service} ({r.Spec.Version})";

    private async Task<Release> ReleaseAsync(Guid jobId, CancellationToken ct) =>
        await FindByJobAsync(jobId, ct) ?? throw new JobStepException($"No release belongs to job {jobId}.") { Final = true };

    private async Task<Release?> FindByJobAsync(Guid jobId, CancellationToken ct)
    {
        await using var work = units.Begin();
        return await work.Releases.FindByJobAsync(jobId, ct);
    }

    private async Task<PortalEnvironment> EnvironmentAsync(string name, CancellationToken ct)
    {
        await using var work = units.Begin();
        return await work.Environments.FindAsync(name, ct) ?? throw new JobStepException($"Environment '{name}' no longer exists.") { Final = true };
    }

    /// <summary>Re-reads and changes the release, trying again if someone else changed it meanwhile.</summary>
    private async Task<Release> SaveAsync(Release release, Func<Release, Release> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var work = units.Begin();
            var current = await work.Releases.FindAsync(release.Id, ct) ?? release;
            var changed = change(current) with { Version = current.Version + 1 };
            work.Releases.Update(changed, current.Version);
            try
            {
                await work.CommitAsync(ct);
                return changed;
            }
            catch (ConflictException) when (attempt < 5)
            {
            }
        }
    }
}
