using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Approvals;
using Portal.Core.Authorization;
using Portal.Core.Jobs;
using Portal.Core.Provisioning;

namespace Portal.Core.Environments;

/// <summary>
/// Use cases on environments, for the UI and the API alike. Reads are filtered, changes are guarded. A change that
/// touches the cluster is stored with the job that carries it out (or, on a protected tier, with a four-eyes
/// request), in one transaction; the job is then handed to the scheduler.
/// </summary>
public sealed class EnvironmentService(
    IUnitOfWorkFactory units,
    PortalActions actions,
    IOptions<EnvironmentPolicyOptions> policy,
    TimeProvider clock,
    IEnvironmentProvisioner provisioner,
    IJobDispatcher dispatcher)
    : IEnvironmentCatalog
{
    async Task<IReadOnlyList<EnvironmentSummary>> IEnvironmentCatalog.ListAsync(PortalPrincipal who, CancellationToken cancellationToken) =>
        [.. (await ListAsync(who, cancellationToken)).Select(e => new EnvironmentSummary(e.Name, e.DisplayName, e.Tier))];

    /// <summary>The environments <paramref name="who"/> may see, by tier then name.</summary>
    public async Task<IReadOnlyList<PortalEnvironment>> ListAsync(PortalPrincipal who, CancellationToken ct)
    {
        await using var work = units.Begin();
        var all = await work.Environments.ListAsync(ct);
        var mine = who.IsAuthenticated ? await work.Bindings.ForSubjectsAsync(who.UserName, who.Groups, ct) : [];
        var now = clock.GetUtcNow();
        return [.. all
            .Where(e => AccessDecider.Decide(who, Permissions.EnvironmentsRead, e.Ref, mine, now).Allowed)
            .OrderBy(e => e.Tier).ThenBy(e => e.Name, StringComparer.Ordinal)];
    }

    /// <summary>The environment, or null when it does not exist or <paramref name="who"/> may not see it.</summary>
    public async Task<PortalEnvironment?> GetAsync(PortalPrincipal who, string name, CancellationToken ct)
    {
        var environment = await FindAsync(name, ct);
        return environment is not null && (await actions.CheckAsync(who, Permissions.EnvironmentsRead, environment.Ref, ct)).Allowed
            ? environment
            : null;
    }

    public async Task<PortalEnvironment?> FindAsync(string name, CancellationToken ct)
    {
        await using var work = units.Begin();
        return await work.Environments.FindAsync(name, ct);
    }

    /// <summary>Stores a new environment (status Requested) and makes its creator its Owner, in one transaction.</summary>
    public async Task<ActionResult<PortalEnvironment>> CreateAsync(ActorContext actor, CreateEnvironmentRequest request, CancellationToken ct)
    {
        var mayChooseNamespace = (await actions.CheckAsync(actor.Principal, Permissions.AdminManage, null, ct)).Allowed;
        // Authorization needs the tier; an unknown tier is decided as dev and then refused by validation.
        var tier = EnvironmentTiers.TryParse(request.Tier, out var t) ? t : EnvironmentTier.Dev;
        var name = request.Name ?? "";
        var action = new ActionRequest(Permissions.EnvironmentsCreate, new EnvironmentRef(name, tier), name, Parameters(request));
        Guid? jobId = null;
        var result = await actions.RunAsync(actor, action, async (work, token) =>
        {
            var now = clock.GetUtcNow();
            var environment = EnvironmentValidator.Create(request, policy.Value, actor.Principal.UserName, now, mayChooseNamespace);
            if (await TakenAsync(work, environment, token) is { } taken)
            {
                throw new ConflictException(taken.Problem);
            }

            var owner = new RoleBinding(Guid.NewGuid(), SubjectKind.User, actor.Principal.UserName, Roles.Owner,
                BindingScope.ForEnvironment(environment.Name), null, actor.Principal.UserName, now);
            work.Bindings.Add(owner);
            if (environment.Tier.IsProtected())
            {
                environment = environment with { Status = EnvironmentStatus.AwaitingApproval };
                work.Approvals.Add(NewApproval(environment.Name, ApprovalAction.Create, actor.Principal.UserName, now));
            }
            else
            {
                var job = EnvironmentJobKinds.NewCreate(environment.Name, actor.Principal.UserName, now);
                work.Jobs.Add(job);
                jobId = job.Id;
            }

            work.Environments.Add(environment);
            return environment;
        }, ct);
        await DispatchAsync(result, jobId);
        return result;
    }

    /// <summary>
    /// What creating the environment would apply to its cluster, rendered, without storing anything: the same
    /// validation and authorization as <see cref="CreateAsync"/>, so the preview never shows what would be refused.
    /// </summary>
    public async Task<ActionResult<IReadOnlyList<PlannedObject>>> PreviewAsync(ActorContext actor, CreateEnvironmentRequest request, CancellationToken ct)
    {
        var mayChooseNamespace = (await actions.CheckAsync(actor.Principal, Permissions.AdminManage, null, ct)).Allowed;
        var tier = EnvironmentTiers.TryParse(request.Tier, out var t) ? t : EnvironmentTier.Dev;
        var decision = await actions.CheckAsync(actor.Principal, Permissions.EnvironmentsCreate, new EnvironmentRef(request.Name ?? "", tier), ct);
        if (!decision.Allowed)
        {
            return new ActionResult<IReadOnlyList<PlannedObject>>.Denied(decision);
        }

        try
        {
            var environment = EnvironmentValidator.Create(request, policy.Value, actor.Principal.UserName, clock.GetUtcNow(), mayChooseNamespace);
            await using (var work = units.Begin())
            {
                // The preview says on its field what Create would refuse as a conflict.
                if (await TakenAsync(work, environment, ct) is { } taken)
                {
                    var errors = new Validation.ValidationErrors();
                    errors.Add(taken.Field, taken.Problem);
                    throw new Validation.ValidationFailedException(errors);
                }
            }

            var owner = new RoleBinding(Guid.Empty, SubjectKind.User, actor.Principal.UserName, Roles.Owner,
                BindingScope.ForEnvironment(environment.Name), null, actor.Principal.UserName, clock.GetUtcNow());
            return new ActionResult<IReadOnlyList<PlannedObject>>.Ok(provisioner.Plan(environment, [owner]));
        }
        catch (Validation.ValidationFailedException ex)
        {
            return new ActionResult<IReadOnlyList<PlannedObject>>.Invalid(ex.Errors);
        }
        catch (JobStepException ex)
        {
            // A tier's extra-manifest template that does not render: the operators' to fix, said in words.
            return new ActionResult<IReadOnlyList<PlannedObject>>.Unavailable($"The {request.Tier} tier's extra manifests cannot be rendered: {ex.Message}");
        }
    }

    /// <summary>Whether the name or the namespace is already another environment's, and which field says so.</summary>
    private static async Task<(string Field, string Problem)?> TakenAsync(IPortalUnitOfWork work, PortalEnvironment environment, CancellationToken ct)
    {
        if (await work.Environments.FindAsync(environment.Name, ct) is not null)
        {
            return ("name", $"An environment named '{environment.Name}' already exists.");
        }

        return (await work.Environments.ListAsync(ct)).FirstOrDefault(e => e.Cluster == environment.Cluster && e.Namespace == environment.Namespace) is { } holder
            ? (environment.Namespace == environment.Name ? "name" : "namespace",
                $"Namespace '{environment.Namespace}' on cluster '{environment.Cluster}' already belongs to environment '{holder.Name}'.")
            : null;
    }

    public async Task<ActionResult<PortalEnvironment>> UpdateAsync(ActorContext actor, string name, UpdateEnvironmentRequest request, CancellationToken ct)
    {
        var current = await FindAsync(name, ct);
        if (current is null)
        {
            return await actions.NotFoundAsync<PortalEnvironment>(actor, new ActionRequest(Permissions.EnvironmentsUpdate, null, name, Parameters(request)), $"Environment '{name}'", ct);
        }

        var action = new ActionRequest(Permissions.EnvironmentsUpdate, current.Ref, name, Parameters(request));
        Guid? jobId = null;
        var result = await actions.RunAsync(actor, action, async (work, token) =>
        {
            if (request.ExpectedVersion is { } expected && expected != current.Version)
            {
                throw new ConflictException($"'{name}' was changed by someone else (version {current.Version}, you edited version {expected}); reload and try again.");
            }

            var touchesCluster = request.Quota is not null || request.Labels is not null;
            if (touchesCluster && current.Status != EnvironmentStatus.Ready)
            {
                throw new ConflictException($"'{name}' is {current.Status}; its quota and labels can change once it is Ready.");
            }

            var changed = EnvironmentValidator.Update(current, request, policy.Value);
            if (request.Quota is not null)
            {
                // A quota below what the namespace already uses would stop every new pod: ask the cluster first.
                changed = EnvironmentValidator.Update(current, request, policy.Value, await provisioner.UsageAsync(current, token));
            }
            if (touchesCluster)
            {
                await RefuseWhileBusyAsync(work, name, token);
                var job = EnvironmentJobKinds.NewUpdate(name, actor.Principal.UserName, clock.GetUtcNow());
                work.Jobs.Add(job);
                jobId = job.Id;
            }

            work.Environments.Update(changed, current.Version);
            return changed;
        }, ct);
        await DispatchAsync(result, jobId);
        return result;
    }

    public async Task<ActionResult<PortalEnvironment>> ExtendTtlAsync(ActorContext actor, string name, int hours, CancellationToken ct)
    {
        var current = await FindAsync(name, ct);
        if (current is null)
        {
            return await actions.NotFoundAsync<PortalEnvironment>(actor, new ActionRequest(Permissions.EnvironmentsExtendTtl, null, name), $"Environment '{name}'", ct);
        }

        // Up to the tier's maximum, the environment's own Owner decides; beyond it, only an Owner of the whole tier or a PortalAdmin.
        var beyond = hours > policy.Value.For(current.Tier).MaxTtlHours;
        var action = new ActionRequest(Permissions.EnvironmentsExtendTtl, current.Ref, name, new Dictionary<string, object?> { ["hours"] = hours })
        {
            BeyondEnvironmentBindings = beyond,
        };
        return await actions.RunAsync(actor, action, (work, _) =>
        {
            var changed = current with
            {
                ExpiresAt = EnvironmentValidator.ExtendedExpiry(current, hours, policy.Value, clock.GetUtcNow(), beyond),
                Version = current.Version + 1,
            };
            work.Environments.Update(changed, current.Version);
            return Task.FromResult(changed);
        }, ct);
    }

    /// <summary>How far ahead a teardown may be scheduled.</summary>
    public static readonly TimeSpan MaxTeardownAhead = TimeSpan.FromDays(90);

    /// <summary>
    /// Schedules the environment's teardown at <paramref name="at"/> (ahead, at most <see cref="MaxTeardownAhead"/>):
    /// it expires then, and <see cref="EnvironmentExpiry"/>'s sweep destroys it through the provisioning job. Not on a
    /// protected tier, where destroying needs a second person: <see cref="RequestDestroyAsync"/> asks for one.
    /// </summary>
    public async Task<ActionResult<PortalEnvironment>> ScheduleTeardownAsync(ActorContext actor, string name, DateTimeOffset at, CancellationToken ct)
    {
        var parameters = new Dictionary<string, object?> { ["at"] = at };
        var current = await FindAsync(name, ct);
        if (current is null)
        {
            return await actions.NotFoundAsync<PortalEnvironment>(actor, new ActionRequest(Permissions.EnvironmentsDestroy, null, name, parameters) { Name = "environments.schedule-teardown" }, $"Environment '{name}'", ct);
        }

        var action = new ActionRequest(Permissions.EnvironmentsDestroy, current.Ref, name, parameters) { Name = "environments.schedule-teardown" };
        return await actions.RunAsync(actor, action, (work, _) =>
        {
            if (current.IsGone || current.Status is EnvironmentStatus.DestroyRequested or EnvironmentStatus.Destroying)
            {
                throw new ConflictException($"'{name}' is {current.Status}; there is nothing to tear down.");
            }

            var now = clock.GetUtcNow();
            var errors = new Validation.ValidationErrors();
            if (current.Tier.IsProtected())
            {
                errors.Add("at", $"cannot be scheduled on {current.Tier.ToWire()}, a protected tier: its destruction needs a second person, so request it instead");
            }
            else if (at <= now)
            {
                errors.Add("at", "must be in the future");
            }
            else if (at - now > MaxTeardownAhead)
            {
                errors.Add("at", $"must be at most {MaxTeardownAhead.TotalDays:0} days ahead");
            }

            if (!errors.IsEmpty)
            {
                throw new Validation.ValidationFailedException(errors);
            }

            var changed = current with { ExpiresAt = at.ToUniversalTime(), Version = current.Version + 1 };
            work.Environments.Update(changed, current.Version);
            return Task.FromResult(changed);
        }, ct);
    }

    /// <summary>Starts the destroy job, or on a protected tier asks a second person first.</summary>
    public async Task<ActionResult<PortalEnvironment>> RequestDestroyAsync(ActorContext actor, string name, CancellationToken ct)
    {
        var current = await FindAsync(name, ct);
        if (current is null)
        {
            return await actions.NotFoundAsync<PortalEnvironment>(actor, new ActionRequest(Permissions.EnvironmentsDestroy, null, name), $"Environment '{name}'", ct);
        }

        Guid? jobId = null;
        var result = await actions.RunAsync(actor, new ActionRequest(Permissions.EnvironmentsDestroy, current.Ref, name), async (work, token) =>
        {
            if (current.IsGone || current.Status is EnvironmentStatus.DestroyRequested or EnvironmentStatus.Destroying or EnvironmentStatus.AwaitingApproval)
            {
                throw new ConflictException($"'{name}' is {current.Status}; there is nothing to destroy now.");
            }

            await RefuseWhileBusyAsync(work, name, token);
            var now = clock.GetUtcNow();
            if (current.Tier.IsProtected())
            {
                work.Approvals.Add(NewApproval(name, ApprovalAction.Destroy, actor.Principal.UserName, now) with { PreviousStatus = current.Status });
            }
            else
            {
                var job = EnvironmentJobKinds.NewDestroy(name, actor.Principal.UserName, now);
                work.Jobs.Add(job);
                jobId = job.Id;
            }

            work.Environments.SetStatus(name, current.Status, EnvironmentStatus.DestroyRequested);
            return current with { Status = EnvironmentStatus.DestroyRequested };
        }, ct);
        await DispatchAsync(result, jobId);
        return result;
    }

    /// <summary>
    /// After a role was granted or revoked on the environment: an update job brings its Kubernetes RoleBindings in
    /// line. Best effort: while another job runs, the next update (or the next grant) carries the change.
    /// </summary>
    public async Task SyncAccessAsync(string name, string by, CancellationToken ct)
    {
        Guid? jobId = null;
        await using (var work = units.Begin())
        {
            if (await work.Environments.FindAsync(name, ct) is not { Status: EnvironmentStatus.Ready } || await work.Jobs.UnfinishedForAsync(name, ct) is not null)
            {
                return;
            }

            var job = EnvironmentJobKinds.NewUpdate(name, by, clock.GetUtcNow());
            work.Jobs.Add(job);
            try
            {
                await work.CommitAsync(ct);
                jobId = job.Id;
            }
            catch (ConflictException)
            {
                // Another job started meanwhile (the unique index on unfinished jobs): it is left to carry the change.
            }
        }

        if (jobId is { } id)
        {
            await JobDispatch.TryAsync(dispatcher, id);
        }
    }

    /// <summary>One job per environment at a time: two jobs racing on one namespace would undo each other.</summary>
    internal static async Task RefuseWhileBusyAsync(IPortalUnitOfWork work, string name, CancellationToken ct)
    {
        if (await work.Jobs.UnfinishedForAsync(name, ct) is { } running)
        {
            throw new ConflictException($"A {running.Kind} job ({running.Id}) is still {running.State} for '{name}'; wait for it or cancel it first.");
        }
    }

    private ApprovalRequest NewApproval(string environment, ApprovalAction action, string by, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        Environment = environment,
        Action = action,
        RequestedBy = by,
        RequestedAt = now,
        ExpiresAt = now.AddHours(policy.Value.ApprovalExpiryHours),
        State = ApprovalState.Pending,
    };

    private async Task DispatchAsync<T>(ActionResult<T> result, Guid? jobId)
    {
        if (result.Succeeded && jobId is { } id)
        {
            await JobDispatch.TryAsync(dispatcher, id);
        }
    }

    private static Dictionary<string, object?> Parameters(CreateEnvironmentRequest r) => new()
    {
        ["name"] = r.Name, ["displayName"] = r.DisplayName, ["tier"] = r.Tier, ["cluster"] = r.Cluster, ["namespace"] = r.Namespace,
        ["owningTeam"] = r.OwningTeam, ["costCentre"] = r.CostCentre, ["monthlyBudget"] = r.MonthlyBudget,
        ["timeToLiveHours"] = r.TimeToLiveHours, ["labels"] = r.Labels, ["quota"] = r.Quota,
    };

    private static Dictionary<string, object?> Parameters(UpdateEnvironmentRequest r) => new()
    {
        ["displayName"] = r.DisplayName, ["owningTeam"] = r.OwningTeam, ["costCentre"] = r.CostCentre,
        ["monthlyBudget"] = r.MonthlyBudget, ["labels"] = r.Labels, ["quota"] = r.Quota,
        ["requireDeployApproval"] = r.RequireDeployApproval, ["autoRollback"] = r.AutoRollback, ["expectedVersion"] = r.ExpectedVersion,
    };
}
