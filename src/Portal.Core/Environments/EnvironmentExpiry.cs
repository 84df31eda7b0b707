using Portal.Core.Actions;
using Portal.Core.Approvals;
using Portal.Core.Authorization;
using Portal.Core.Jobs;
using Portal.Core.Provisioning;

namespace Portal.Core.Environments;

/// <summary>A warning for an environment's owner: it expires soon.</summary>
public sealed record ExpiryNotice(string Environment, DateTimeOffset ExpiresAt, TimeSpan TimeLeft, bool Urgent);

/// <summary>
/// Ephemeral environments: warns their owners before expiry and destroys them at expiry. The state lives in the
/// database (each environment's ExpiresAt), so expiry survives restarts; the scheduler's sweep calls
/// <see cref="DestroyExpiredAsync"/> on the injected clock.
/// </summary>
public sealed class EnvironmentExpiry(IUnitOfWorkFactory units, IJobStore jobs, PortalActions actions, TimeProvider clock, IJobDispatcher dispatcher, Microsoft.Extensions.Options.IOptions<EnvironmentPolicyOptions> policy)
{
    /// <summary>Starts the destroy job of every ready environment past its expiry. Returns the jobs it started.</summary>
    public async Task<IReadOnlyList<Guid>> DestroyExpiredAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        IReadOnlyList<PortalEnvironment> expired;
        await using (var work = units.Begin())
        {
            expired = [.. (await work.Environments.ListAsync(ct))
                .Where(e => e.ExpiresAt <= now && e.Status is EnvironmentStatus.Ready or EnvironmentStatus.Failed)];
        }

        // A failed environment is destroyed once; if that destroy fails too, people take over (no job every sweep).
        // Asked only for those (rare): a sweep with nothing expired reads no jobs.
        var destroyTried = new HashSet<string>(StringComparer.Ordinal);
        foreach (var failed in expired.Where(e => e.Status == EnvironmentStatus.Failed))
        {
            if ((await jobs.ListAsync(new JobQuery { Environment = failed.Name, Kind = EnvironmentJobKinds.Destroy, Take = 1 }, ct)).Total > 0)
            {
                destroyTried.Add(failed.Name);
            }
        }

        expired = [.. expired.Where(e => !destroyTried.Contains(e.Name))];

        var started = new List<Guid>();
        foreach (var environment in expired)
        {
            try
            {
                var job = EnvironmentJobKinds.NewDestroy(environment.Name, ApprovalService.SystemActor, now);
                var action = new ActionRequest(Permissions.EnvironmentsDestroy, environment.Ref, environment.Name,
                    new Dictionary<string, object?> { ["expiredAt"] = environment.ExpiresAt }) { Name = "environments.expire" };
                await actions.RunAsSystemAsync(ApprovalService.SystemActor, action, async (work, token) =>
                {
                    await EnvironmentService.RefuseWhileBusyAsync(work, environment.Name, token);
                    work.Jobs.Add(job);
                    // Only as it was read: extended (or otherwise changed) meanwhile, it is decided again next sweep.
                    work.Environments.SetStatus(environment.Name, environment.Status, EnvironmentStatus.DestroyRequested, environment.Version);
                    return job.Id;
                }, ct);
                started.Add(job.Id);
                await JobDispatch.TryAsync(dispatcher, job.Id);
            }
            catch (ConflictException)
            {
                // Busy with another job, or changed meanwhile (extended, say): the next sweep decides again.
            }
        }

        return started;
    }

    /// <summary>Warnings for the environments <paramref name="environments"/> (the ones a person owns) within the warning window.</summary>
    public IReadOnlyList<ExpiryNotice> Notices(IEnumerable<PortalEnvironment> environments)
    {
        var now = clock.GetUtcNow();
        var window = TimeSpan.FromHours(policy.Value.ExpiryWarningHours.DefaultIfEmpty(24).Max());
        var urgent = TimeSpan.FromHours(policy.Value.ExpiryWarningHours.DefaultIfEmpty(1).Min());
        return [.. environments
            .Where(e => e.ExpiresAt is not null && !e.IsGone && e.Status is not (EnvironmentStatus.Destroying or EnvironmentStatus.DestroyRequested))
            .Select(e => (Environment: e, Left: e.TimeLeft(now)!.Value))
            .Where(x => x.Left <= window)
            .OrderBy(x => x.Left)
            .Select(x => new ExpiryNotice(x.Environment.Name, x.Environment.ExpiresAt!.Value, x.Left, x.Left <= urgent))];
    }
}
