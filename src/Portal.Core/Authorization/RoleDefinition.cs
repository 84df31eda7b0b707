using Portal.Core.Environments;

namespace Portal.Core.Authorization;

/// <summary>A permission a role grants; <see cref="NonProtectedOnly"/> limits it to tiers other than prod.</summary>
public sealed record Grant(string Permission, bool NonProtectedOnly = false);

/// <summary>
/// A built-in role: its name, whether it is bound per environment or organisation-wide, its rank (to name the
/// least role that would allow something) and its grants.
/// </summary>
public sealed record RoleDefinition(string Name, bool OrganisationWide, int Rank, string Description, IReadOnlyList<Grant> Grants)
{
    /// <summary>Whether this role allows <paramref name="permission"/> on an environment of <paramref name="tier"/>
    /// (null: an organisation-wide question, where tier-limited grants do not count).</summary>
    public bool Allows(string permission, EnvironmentTier? tier) =>
        Grants.Any(g => g.Permission == permission && (!g.NonProtectedOnly || (tier is { } t && !t.IsProtected())));
}
