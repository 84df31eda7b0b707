using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Authorization;

namespace Portal.Core.Environments;

/// <summary>Use cases on environments, for the UI and the API alike. Reads are filtered, changes are guarded.</summary>
public sealed class EnvironmentService(IUnitOfWorkFactory units, PortalActions actions, IOptions<EnvironmentPolicyOptions> policy, TimeProvider clock)
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
        return await actions.RunAsync(actor, action, async (work, token) =>
        {
            var now = clock.GetUtcNow();
            var environment = EnvironmentValidator.Create(request, policy.Value, actor.Principal.UserName, now, mayChooseNamespace);
            if (await work.Environments.FindAsync(environment.Name, token) is not null)
            {
                throw new ConflictException($"An environment named '{environment.Name}' already exists.");
            }

            if ((await work.Environments.ListAsync(token)).FirstOrDefault(e => e.Cluster == environment.Cluster && e.Namespace == environment.Namespace) is { } holder)
            {
                throw new ConflictException($"Namespace '{environment.Namespace}' on cluster '{environment.Cluster}' already belongs to environment '{holder.Name}'.");
            }

            work.Environments.Add(environment);
            work.Bindings.Add(new RoleBinding(Guid.NewGuid(), SubjectKind.User, actor.Principal.UserName, Roles.Owner,
                BindingScope.ForEnvironment(environment.Name), null, actor.Principal.UserName, now));
            return environment;
        }, ct);
    }

    public async Task<ActionResult<PortalEnvironment>> UpdateAsync(ActorContext actor, string name, UpdateEnvironmentRequest request, CancellationToken ct)
    {
        var current = await FindAsync(name, ct);
        if (current is null)
        {
            return await actions.NotFoundAsync<PortalEnvironment>(actor, new ActionRequest(Permissions.EnvironmentsUpdate, null, name, Parameters(request)), $"Environment '{name}'", ct);
        }

        var action = new ActionRequest(Permissions.EnvironmentsUpdate, current.Ref, name, Parameters(request));
        return await actions.RunAsync(actor, action, (work, _) =>
        {
            if (request.ExpectedVersion is { } expected && expected != current.Version)
            {
                throw new ConflictException($"'{name}' was changed by someone else (version {current.Version}, you edited version {expected}); reload and try again.");
            }

            var changed = EnvironmentValidator.Update(current, request);
            work.Environments.Update(changed, current.Version);
            return Task.FromResult(changed);
        }, ct);
    }

    public async Task<ActionResult<PortalEnvironment>> ExtendTtlAsync(ActorContext actor, string name, int hours, CancellationToken ct)
    {
        var current = await FindAsync(name, ct);
        if (current is null)
        {
            return await actions.NotFoundAsync<PortalEnvironment>(actor, new ActionRequest(Permissions.EnvironmentsExtendTtl, null, name), $"Environment '{name}'", ct);
        }

        var action = new ActionRequest(Permissions.EnvironmentsExtendTtl, current.Ref, name, new Dictionary<string, object?> { ["hours"] = hours });
        return await actions.RunAsync(actor, action, (work, _) =>
        {
            var changed = current with
            {
                ExpiresAt = EnvironmentValidator.ExtendedExpiry(current, hours, policy.Value, clock.GetUtcNow()),
                Version = current.Version + 1,
            };
            work.Environments.Update(changed, current.Version);
            return Task.FromResult(changed);
        }, ct);
    }

    /// <summary>Marks the environment for destruction; the provisioning job (issue 5) does the work.</summary>
    public async Task<ActionResult<PortalEnvironment>> RequestDestroyAsync(ActorContext actor, string name, CancellationToken ct)
    {
        var current = await FindAsync(name, ct);
        if (current is null)
        {
            return await actions.NotFoundAsync<PortalEnvironment>(actor, new ActionRequest(Permissions.EnvironmentsDestroy, null, name), $"Environment '{name}'", ct);
        }

        return await actions.RunAsync(actor, new ActionRequest(Permissions.EnvironmentsDestroy, current.Ref, name), (work, _) =>
        {
            if (current.Status is EnvironmentStatus.DestroyRequested or EnvironmentStatus.Destroying or EnvironmentStatus.Destroyed)
            {
                throw new ConflictException($"'{name}' is already {current.Status}.");
            }

            var changed = current with { Status = EnvironmentStatus.DestroyRequested, Version = current.Version + 1 };
            work.Environments.Update(changed, current.Version);
            return Task.FromResult(changed);
        }, ct);
    }

    private static Dictionary<string, object?> Parameters(CreateEnvironmentRequest r) => new()
    {
        ["name"] = r.Name, ["displayName"] = r.DisplayName, ["tier"] = r.Tier, ["cluster"] = r.Cluster, ["namespace"] = r.Namespace,
        ["owningTeam"] = r.OwningTeam, ["costCentre"] = r.CostCentre, ["monthlyBudget"] = r.MonthlyBudget,
        ["timeToLiveHours"] = r.TimeToLiveHours, ["labels"] = r.Labels,
    };

    private static Dictionary<string, object?> Parameters(UpdateEnvironmentRequest r) => new()
    {
        ["displayName"] = r.DisplayName, ["owningTeam"] = r.OwningTeam, ["costCentre"] = r.CostCentre,
        ["monthlyBudget"] = r.MonthlyBudget, ["labels"] = r.Labels, ["expectedVersion"] = r.ExpectedVersion,
    };
}
