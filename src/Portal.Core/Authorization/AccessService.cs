using Portal.Core.Actions;
using Portal.Core.Environments;
using Portal.Core.Identity;

namespace Portal.Core.Authorization;

/// <summary>One row of an effective-access view: a binding and what it grants there.</summary>
public sealed record EffectiveGrant(RoleBinding Binding, bool Active, IReadOnlyList<string> Permissions);

/// <summary>One environment in a user's effective-access view: each permission with the binding that grants it.</summary>
public sealed record EffectiveEnvironmentAccess(PortalEnvironment Environment, IReadOnlyList<AccessDecision> Grants);

/// <summary>Use cases on role bindings: list, grant, revoke, and the effective-access views.</summary>
public sealed class AccessService(
    IUnitOfWorkFactory units, PortalActions actions, EnvironmentService environments, IUserDirectory users, AccessChanges changes, TimeProvider clock)
{
    /// <summary>Every binding that applies to the environment, with what it grants on it. Null when the caller may not see them.</summary>
    public async Task<IReadOnlyList<EffectiveGrant>?> ForEnvironmentAsync(PortalPrincipal who, string name, CancellationToken ct)
    {
        var environment = await environments.GetAsync(who, name, ct);
        if (environment is null || !(await actions.CheckAsync(who, Permissions.AccessRead, environment.Ref, ct)).Allowed)
        {
            return null;
        }

        await using var work = units.Begin();
        var now = clock.GetUtcNow();
        return [.. (await work.Bindings.ForEnvironmentAsync(environment.Ref, ct))
            .Select(b => new EffectiveGrant(b, b.IsActive(now), [.. Permissions.All.Where(p => Roles.Find(b.Role)?.Allows(p, environment.Tier) == true)]))
            .OrderBy(g => g.Binding.Scope.Kind).ThenBy(g => g.Binding.Subject, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>What <paramref name="userName"/> may do in each environment <paramref name="who"/> can see.
    /// Users see their own; seeing someone else's needs admin.manage. Null when not allowed.</summary>
    public async Task<IReadOnlyList<EffectiveEnvironmentAccess>?> ForUserAsync(PortalPrincipal who, string userName, CancellationToken ct)
    {
        PortalPrincipal subject;
        if (string.Equals(userName, who.UserName, StringComparison.OrdinalIgnoreCase))
        {
            subject = who;
        }
        else if ((await actions.CheckAsync(who, Permissions.AdminManage, null, ct)).Allowed && await users.FindAsync(userName, ct) is { } user)
        {
            subject = new PortalPrincipal(user.UserName, user.DisplayName, user.Groups);
        }
        else
        {
            return null;
        }

        await using var work = units.Begin();
        var bindings = await work.Bindings.ForSubjectsAsync(subject.UserName, subject.Groups, ct);
        var now = clock.GetUtcNow();
        var visible = await environments.ListAsync(who, ct);
        return [.. visible
            .Select(e => new EffectiveEnvironmentAccess(e, AccessDecider.Effective(subject, e.Ref, bindings, now)))
            .Where(e => e.Grants.Count > 0)];
    }

    public async Task<ActionResult<RoleBinding>> GrantAsync(ActorContext actor, string name, GrantRequest request, CancellationToken ct)
    {
        var environment = await environments.FindAsync(name, ct);
        if (environment is null)
        {
            return await actions.NotFoundAsync<RoleBinding>(actor, new ActionRequest(Permissions.AccessManage, null, name, Parameters(request)) { Name = "access.grant" },
                $"Environment '{name}'", ct);
        }

        var action = new ActionRequest(Permissions.AccessManage, environment.Ref, request.Subject, Parameters(request)) { Name = "access.grant" };
        var result = Notify(await actions.RunAsync(actor, action, (work, _) =>
        {
            var binding = GrantValidator.Validate(request, BindingScope.ForEnvironment(name), actor.Principal.UserName, clock.GetUtcNow());
            work.Bindings.Add(binding);
            return Task.FromResult(binding);
        }, ct));
        await SyncClusterAsync(result, name, actor);
        return result;
    }

    /// <summary>The bindings on a tier or on all environments, and the people Portal knows; null unless the caller is a PortalAdmin.</summary>
    public async Task<(IReadOnlyList<RoleBinding> Bindings, IReadOnlyList<PortalUser> Users)?> OrganisationAsync(PortalPrincipal who, CancellationToken ct)
    {
        if (!(await actions.CheckAsync(who, Permissions.AdminManage, null, ct)).Allowed)
        {
            return null;
        }

        await using var work = units.Begin();
        var bindings = (await work.Bindings.AllAsync(ct)).Where(b => b.Scope.Kind != BindingScopeKind.Environment)
            .OrderBy(b => b.Scope.Kind).ThenBy(b => b.Scope.Value, StringComparer.Ordinal).ThenBy(b => b.Subject, StringComparer.OrdinalIgnoreCase);
        return ([.. bindings], await users.ListAsync(ct));
    }

    /// <summary>Organisation-wide grants (a tier, or all environments, including Manager and PortalAdmin).</summary>
    public async Task<ActionResult<RoleBinding>> GrantOrganisationAsync(ActorContext actor, GrantRequest request, CancellationToken ct)
    {
        var action = new ActionRequest(Permissions.AdminManage, null, request.Subject, Parameters(request)) { Name = "access.grant" };
        return Notify(await actions.RunAsync(actor, action, (work, _) =>
        {
            var binding = GrantValidator.Validate(request, null, actor.Principal.UserName, clock.GetUtcNow());
            work.Bindings.Add(binding);
            return Task.FromResult(binding);
        }, ct));
    }

    public async Task<ActionResult<RoleBinding>> RevokeAsync(ActorContext actor, string name, Guid bindingId, CancellationToken ct)
    {
        var environment = await environments.FindAsync(name, ct);
        if (environment is null)
        {
            return await actions.NotFoundAsync<RoleBinding>(actor, new ActionRequest(Permissions.AccessManage, null, bindingId.ToString()) { Name = "access.revoke" },
                $"Environment '{name}'", ct);
        }

        var action = new ActionRequest(Permissions.AccessManage, environment.Ref, bindingId.ToString()) { Name = "access.revoke" };
        var revoked = Notify(await actions.RunAsync(actor, action, async (work, token) =>
        {
            var binding = await work.Bindings.FindAsync(bindingId, token);
            if (binding is null || binding.Scope.Kind != BindingScopeKind.Environment || binding.Scope.Value != name)
            {
                throw new NotFoundException($"Role binding {bindingId} on '{name}'");
            }

            work.Bindings.Remove(binding);
            return binding;
        }, ct));
        await SyncClusterAsync(revoked, name, actor);
        return revoked;
    }

    /// <summary>The environment's RoleBindings in its namespace follow its Portal bindings.</summary>
    private async Task SyncClusterAsync(ActionResult<RoleBinding> result, string name, ActorContext actor)
    {
        if (result.Succeeded)
        {
            await environments.SyncAccessAsync(name, actor.Principal.UserName, CancellationToken.None);
        }
    }

    public async Task<ActionResult<RoleBinding>> RevokeOrganisationAsync(ActorContext actor, Guid bindingId, CancellationToken ct)
    {
        var action = new ActionRequest(Permissions.AdminManage, null, bindingId.ToString()) { Name = "access.revoke" };
        return Notify(await actions.RunAsync(actor, action, async (work, token) =>
        {
            var binding = await work.Bindings.FindAsync(bindingId, token) ?? throw new NotFoundException($"Role binding {bindingId}");
            work.Bindings.Remove(binding);
            return binding;
        }, ct));
    }

    private ActionResult<RoleBinding> Notify(ActionResult<RoleBinding> result)
    {
        if (result.Succeeded)
        {
            changes.Notify();
        }

        return result;
    }

    private static Dictionary<string, object?> Parameters(GrantRequest r) => new()
    {
        ["subjectKind"] = r.SubjectKind, ["subject"] = r.Subject, ["role"] = r.Role, ["expiresInHours"] = r.ExpiresInHours, ["scope"] = r.Scope,
    };
}
