using Portal.Core.Environments;

namespace Portal.Core.Authorization;

/// <summary>
/// The one rule of Portal's authorization, as a pure function: a principal may do permission P on environment E
/// when an active binding of the principal (as a user or through a group) covers E and its role allows P on E's
/// tier. Organisation-wide questions (E is null) count only bindings on all environments.
/// </summary>
public static class AccessDecider
{
    public static AccessDecision Decide(PortalPrincipal who, string permission, EnvironmentRef? environment, IEnumerable<RoleBinding> bindings, DateTimeOffset now)
    {
        if (!who.IsAuthenticated)
        {
            return AccessDecision.Deny(permission, environment, "You are not signed in.");
        }

        if (permission == Permissions.OwnAccount)
        {
            return !who.ViaToken
                ? new AccessDecision(true, permission, environment, null, "Every signed-in user manages their own account.")
                : AccessDecision.Deny(permission, environment, "An access token cannot manage accounts or tokens; sign in.");
        }

        if (who.TokenEnvironments is { } scoped && (environment is null || !scoped.Contains(environment.Name)))
        {
            return AccessDecision.Deny(permission, environment,
                environment is null
                    ? "This access token is scoped to environments and cannot be used for organisation-wide actions."
                    : $"This access token is not scoped to {environment.Name}.");
        }

        // Creating an environment is decided on its tier: a binding on an environment of that name (left from an
        // earlier one, or made in advance) never entitles anyone to create it.
        var grant = bindings
            .Where(b => b.IsActive(now) && b.Matches(who) && b.Scope.Covers(environment))
            .Where(b => permission != Permissions.EnvironmentsCreate || b.Scope.Kind != BindingScopeKind.Environment)
            .Select(b => (Binding: b, Role: Roles.Find(b.Role)))
            .Where(x => x.Role is not null && x.Role.Allows(permission, environment?.Tier))
            .OrderBy(x => x.Role!.Rank)
            .Select(x => x.Binding)
            .FirstOrDefault();

        return grant is not null
            ? AccessDecision.Allow(permission, environment, grant)
            : AccessDecision.Deny(permission, environment, MissingRoleReason(permission, environment));
    }

    /// <summary>
    /// For what belongs to no environment but should not need an organisation-wide role (registering a service in
    /// the catalog): allowed when any active binding, on any scope, has a role that allows the permission on some
    /// tier. A token scoped to environments cannot.
    /// </summary>
    public static AccessDecision DecideAnywhere(PortalPrincipal who, string permission, IEnumerable<RoleBinding> bindings, DateTimeOffset now)
    {
        if (!who.IsAuthenticated)
        {
            return AccessDecision.Deny(permission, null, "You are not signed in.");
        }

        if (who.TokenEnvironments is not null)
        {
            return AccessDecision.Deny(permission, null, "This access token is scoped to environments and cannot change the catalog.");
        }

        var grant = bindings
            .Where(b => b.IsActive(now) && b.Matches(who))
            .Select(b => (Binding: b, Role: Roles.Find(b.Role)))
            .Where(x => x.Role is not null && EnvironmentTiers.All.Any(t => x.Role.Allows(permission, t)))
            .OrderBy(x => x.Role!.Rank)
            .Select(x => x.Binding)
            .FirstOrDefault();
        var least = Roles.All.Where(r => EnvironmentTiers.All.Any(t => r.Allows(permission, t))).OrderBy(r => r.Rank).FirstOrDefault();
        return grant is not null
            ? AccessDecision.Allow(permission, null, grant)
            : AccessDecision.Deny(permission, null, $"You need {least?.Name ?? "a role"} on at least one environment ({permission}).");
    }

    /// <summary>"You need Operator on prod" — the least role that would allow it, and where.</summary>
    public static string MissingRoleReason(string permission, EnvironmentRef? environment)
    {
        var role = Roles.All
            .Where(r => r.Allows(permission, environment?.Tier) && (environment is not null || r.OrganisationWide))
            .OrderBy(r => r.Rank)
            .FirstOrDefault();
        var where = environment is null ? "the organisation" : environment.Name;
        return role is null
            ? $"No role allows {permission} on {where}."
            : $"You need {role.Name} on {where} ({permission}).";
    }

    /// <summary>Every permission the principal has on the environment, each with the binding that grants it.</summary>
    public static IReadOnlyList<AccessDecision> Effective(PortalPrincipal who, EnvironmentRef? environment, IReadOnlyCollection<RoleBinding> bindings, DateTimeOffset now) =>
        [.. Permissions.All.Select(p => Decide(who, p, environment, bindings, now)).Where(d => d.Allowed)];
}
