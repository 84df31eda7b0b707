using Portal.Core.Environments;

namespace Portal.Core.Authorization;

/// <summary>The answer to "may this principal do this on that environment?", with the binding or the reason.</summary>
public sealed record AccessDecision(bool Allowed, string Permission, EnvironmentRef? Environment, RoleBinding? GrantedBy, string Reason)
{
    public static AccessDecision Allow(string permission, EnvironmentRef? environment, RoleBinding binding) =>
        new(true, permission, environment, binding, $"Granted by {binding.Describe()}.");

    public static AccessDecision Deny(string permission, EnvironmentRef? environment, string reason) =>
        new(false, permission, environment, null, reason);
}
