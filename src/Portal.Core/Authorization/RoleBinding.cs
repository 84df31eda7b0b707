using Portal.Core.Environments;

namespace Portal.Core.Authorization;

public enum SubjectKind
{
    User,
    Group,
}

public enum BindingScopeKind
{
    /// <summary>One environment, by name.</summary>
    Environment,

    /// <summary>Every environment of one tier.</summary>
    Tier,

    /// <summary>Every environment, and the organisation-wide questions.</summary>
    All,
}

/// <summary>Where a binding applies. <see cref="Value"/> is the environment name or the tier's wire form.</summary>
public sealed record BindingScope(BindingScopeKind Kind, string? Value = null)
{
    public static BindingScope Everywhere { get; } = new(BindingScopeKind.All);

    public static BindingScope ForEnvironment(string name) => new(BindingScopeKind.Environment, name);

    public static BindingScope ForTier(EnvironmentTier tier) => new(BindingScopeKind.Tier, tier.ToWire());

    public bool Covers(EnvironmentRef? environment) => Kind switch
    {
        BindingScopeKind.All => true,
        BindingScopeKind.Tier => environment is not null && environment.Tier.ToWire() == Value,
        _ => environment is not null && environment.Name == Value,
    };

    public override string ToString() => Kind switch
    {
        BindingScopeKind.All => "all environments",
        BindingScopeKind.Tier => $"every {Value} environment",
        _ => Value!,
    };
}

/// <summary>Gives a user or a group a role on a scope, optionally until a point in time.</summary>
public sealed record RoleBinding(
    Guid Id,
    SubjectKind SubjectKind,
    string Subject,
    string Role,
    BindingScope Scope,
    DateTimeOffset? ExpiresAt,
    string CreatedBy,
    DateTimeOffset CreatedAt)
{
    public bool IsActive(DateTimeOffset now) => ExpiresAt is null || ExpiresAt > now;

    public bool Matches(PortalPrincipal who) =>
        SubjectKind == SubjectKind.User ? string.Equals(Subject, who.UserName, StringComparison.OrdinalIgnoreCase) : who.Groups.Contains(Subject);

    public string Describe() =>
        $"{Role} on {Scope} for {(SubjectKind == SubjectKind.User ? "user" : "group")} {Subject}{(ExpiresAt is { } e ? $" until {e:yyyy-MM-dd HH:mm} UTC" : "")}";
}
