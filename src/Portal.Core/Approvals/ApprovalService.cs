using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Core.Jobs;
using Portal.Core.Provisioning;

namespace Portal.Core.Approvals;

/// <summary>
/// The four-eyes inbox: prod creation and destruction wait here for a second person with Owner or PortalAdmin.
/// The requester can never decide their own request, and a request nobody decides expires.
/// </summary>
public sealed class ApprovalService(IUnitOfWorkFactory units, PortalActions actions, TimeProvider clock, IJobDispatcher dispatcher)
{
    public const string SystemActor = "portal-scheduler";

    /// <summary>Requests on environments <paramref name="who"/> may see; <paramref name="state"/> null lists all.</summary>
    public async Task<IReadOnlyList<ApprovalRequest>> ListAsync(PortalPrincipal who, ApprovalState? state, CancellationToken ct)
    {
        await using var work = units.Begin();
        var requests = await work.Approvals.ListAsync(state, null, ct);
        var environments = (await work.Environments.ListAsync(ct)).ToDictionary(e => e.Name, StringComparer.Ordinal);
        var mine = who.IsAuthenticated ? await work.Bindings.ForSubjectsAsync(who.UserName, who.Groups, ct) : [];
        var now = clock.GetUtcNow();
        return [.. requests.Where(r => environments.TryGetValue(r.Environment, out var e)
            && AccessDecider.Decide(who, Permissions.EnvironmentsRead, e.Ref, mine, now).Allowed)];
    }

    /// <summary>Whether <paramref name="who"/> could decide the request (for showing the buttons; the action checks again).</summary>
    public async Task<bool> MayDecideAsync(PortalPrincipal who, ApprovalRequest request, CancellationToken ct)
    {
        if (!request.IsOpen(clock.GetUtcNow()) || SamePerson(who, request))
        {
            return false;
        }

        var environment = await FindEnvironmentAsync(request.Environment, ct);
        return environment is not null
            && (await actions.CheckAsync(who, Permissions.EnvironmentsApprove, environment.Ref, ct, request.Action == ApprovalAction.Create, request.RequestedBy)).Allowed;
    }

    public Task<ActionResult<ApprovalRequest>> ApproveAsync(ActorContext actor, Guid id, string? comment, CancellationToken ct) =>
        DecideAsync(actor, id, approve: true, comment, ct);

    public Task<ActionResult<ApprovalRequest>> RejectAsync(ActorContext actor, Guid id, string? comment, CancellationToken ct) =>
        DecideAsync(actor, id, approve: false, comment, ct);

    /// <summary>Lapses every pending request past its expiry; run by the sweep, under the system actor.</summary>
    public async Task<int> ExpireAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        IReadOnlyList<ApprovalRequest> pending;
        await using (var work = units.Begin())
        {
            pending = [.. (await work.Approvals.ListAsync(ApprovalState.Pending, null, ct)).Where(r => r.ExpiresAt <= now)];
        }

        foreach (var request in pending)
        {
            var environment = await FindEnvironmentAsync(request.Environment, ct);
            var action = new ActionRequest(Permissions.EnvironmentsApprove, environment?.Ref, request.Environment,
                new Dictionary<string, object?> { ["approval"] = request.Id, ["action"] = request.Action.ToString() }) { Name = "approvals.expire" };
            await actions.RunAsSystemAsync(SystemActor, action, async (work, token) =>
            {
                work.Approvals.Update(request with { State = ApprovalState.Expired, DecidedAt = now, DecidedBy = SystemActor, Version = request.Version + 1 }, request.Version);
                if (environment is not null)
                {
                    await RevertAsync(work, environment, request, now, token);
                }

                return true;
            }, ct);
        }

        return pending.Count;
    }

    private async Task<ActionResult<ApprovalRequest>> DecideAsync(ActorContext actor, Guid id, bool approve, string? comment, CancellationToken ct)
    {
        ApprovalRequest? request;
        await using (var work = units.Begin())
        {
            request = await work.Approvals.FindAsync(id, ct);
        }

        var verb = approve ? "approvals.approve" : "approvals.reject";
        var environment = request is null ? null : await FindEnvironmentAsync(request.Environment, ct);
        if (request is null || environment is null)
        {
            return await actions.NotFoundAsync<ApprovalRequest>(actor, new ActionRequest(Permissions.EnvironmentsApprove, null, id.ToString()) { Name = verb }, $"Approval request '{id}'", ct);
        }

        // Approving a creation counts only bindings beyond the environment (its requester became its Owner), and no
        // approval counts a binding the requester granted: they could otherwise make a friend Owner to approve.
        var action = new ActionRequest(Permissions.EnvironmentsApprove, environment.Ref, environment.Name,
            new Dictionary<string, object?> { ["approval"] = id, ["action"] = request.Action.ToString(), ["comment"] = comment })
        {
            Name = verb,
            BeyondEnvironmentBindings = request.Action == ApprovalAction.Create,
            IgnoreGrantsBy = request.RequestedBy,
        };
        Guid? jobId = null;
        var result = await actions.RunAsync(actor, action, async (work, token) =>
        {
            var now = clock.GetUtcNow();
            if (SamePerson(actor.Principal, request))
            {
                throw new ConflictException("You asked for this yourself: a second person must approve it (four-eyes).");
            }

            if (request.State != ApprovalState.Pending)
            {
                throw new ConflictException($"This request is already {request.State.ToString().ToLowerInvariant()}.");
            }

            if (request.ExpiresAt <= now)
            {
                throw new ConflictException($"This request expired at {request.ExpiresAt:yyyy-MM-dd HH:mm} UTC; ask again.");
            }

            if (comment is { Length: > 1000 })
            {
                var errors = new Validation.ValidationErrors();
                errors.Add("comment", $"at most 1000 characters (got {comment.Length})");
                throw new Validation.ValidationFailedException(errors);
            }

            var decided = request with
            {
                State = approve ? ApprovalState.Approved : ApprovalState.Rejected,
                DecidedBy = actor.Principal.UserName,
                DecidedAt = now,
                Comment = comment,
                Version = request.Version + 1,
            };
            if (request.Action == ApprovalAction.Deploy)
            {
                (decided, jobId) = await DecideDeployAsync(work, environment, request, decided, approve, now, token);
            }
            else if (approve)
            {
                await EnvironmentService.RefuseWhileBusyAsync(work, environment.Name, token);
                var job = request.Action == ApprovalAction.Create
                    ? EnvironmentJobKinds.NewCreate(environment.Name, request.RequestedBy, now)
                    : EnvironmentJobKinds.NewDestroy(environment.Name, request.RequestedBy, now);
                work.Jobs.Add(job);
                jobId = job.Id;
                decided = decided with { JobId = job.Id };
                if (request.Action == ApprovalAction.Create)
                {
                    work.Environments.SetStatus(environment.Name, environment.Status, EnvironmentStatus.Requested);
                }
            }
            else
            {
                await RevertAsync(work, environment, request, now, token);
            }

            work.Approvals.Update(decided, request.Version);
            return decided;
        }, ct);

        if (result.Succeeded && jobId is { } started)
        {
            await JobDispatch.TryAsync(dispatcher, started);
        }

        return result;
    }

    /// <summary>An approved deploy goes to its job (or behind the service's running rollout); a refused one is Rejected.</summary>
    private async Task<(ApprovalRequest Decided, Guid? JobId)> DecideDeployAsync(IPortalUnitOfWork work, PortalEnvironment environment, ApprovalRequest request,
        ApprovalRequest decided, bool approve, DateTimeOffset now, CancellationToken ct)
    {
        var release = request.Release is { } id ? await work.Releases.FindAsync(id, ct) : null;
        if (release is null || release.State != Deployments.ReleaseState.AwaitingApproval)
        {
            throw new ConflictException($"The release this request was for is {(release is null ? "gone" : release.State.ToString().ToLowerInvariant())}.");
        }

        if (!approve)
        {
            work.Releases.Update(release with { State = Deployments.ReleaseState.Rejected, FinishedAt = now, Failure = $"Not approved by {decided.DecidedBy}.", Version = release.Version + 1 }, release.Version);
            return (decided, null);
        }

        var (placed, jobId) = await Deployments.ReleaseStarter.PlaceAsync(work, environment, release, queue: true, approved: true, 0, now, ct);
        work.Releases.Update(placed with { Version = release.Version + 1 }, release.Version);
        return (decided with { JobId = jobId }, jobId);
    }

    /// <summary>
    /// A creation not approved leaves a Rejected record; a destruction not approved leaves the environment as it was;
    /// a deploy not approved leaves its release Rejected, with nothing applied.
    /// </summary>
    private static async Task RevertAsync(IPortalUnitOfWork work, PortalEnvironment environment, ApprovalRequest request, DateTimeOffset now, CancellationToken ct)
    {
        if (request.Action == ApprovalAction.Deploy)
        {
            if (request.Release is { } id && await work.Releases.FindAsync(id, ct) is { State: Deployments.ReleaseState.AwaitingApproval } release)
            {
                work.Releases.Update(release with { State = Deployments.ReleaseState.Rejected, FinishedAt = now, Failure = "Its approval request expired.", Version = release.Version + 1 }, release.Version);
            }

            return;
        }

        var status = request.Action == ApprovalAction.Create ? EnvironmentStatus.Rejected : request.PreviousStatus ?? EnvironmentStatus.Ready;
        work.Environments.SetStatus(environment.Name, environment.Status, status);
    }

    private static bool SamePerson(PortalPrincipal who, ApprovalRequest request) =>
        string.Equals(who.UserName, request.RequestedBy, StringComparison.OrdinalIgnoreCase);

    private async Task<PortalEnvironment?> FindEnvironmentAsync(string name, CancellationToken ct)
    {
        await using var work = units.Begin();
        return await work.Environments.FindAsync(name, ct);
    }
}
