using Portal.Core.Environments;
using Portal.Core.Validation;

namespace Portal.Core.Authorization;

/// <summary>A request to bind a role, as typed. <see cref="Scope"/> is only read for organisation-wide grants:
/// <c>all</c> or <c>tier:&lt;tier&gt;</c>.</summary>
public sealed record GrantRequest
{
    public string? SubjectKind { get; init; }
    public string? Subject { get; init; }
    public string? Role { get; init; }
    public int? ExpiresInHours { get; init; }
    public string? Scope { get; init; }
}

public static class GrantValidator
{
    public const int MaxHours = 24 * 366;

    public static RoleBinding Validate(GrantRequest request, BindingScope? fixedScope, string createdBy, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var kindOk = Enum.TryParse<SubjectKind>(request.SubjectKind, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !int.TryParse(request.SubjectKind, out _);
        if (!kindOk)
        {
            errors.Add("subjectKind", $"'{request.SubjectKind}' is not a subject kind; use user or group");
        }

        if (Text.Required(request.Subject, 200) is { } subjectProblem)
        {
            errors.Add("subject", subjectProblem);
        }

        var role = Roles.Find(request.Role);
        var scope = fixedScope ?? ParseScope(request.Scope, errors);
        if (role is null)
        {
            errors.Add("role", $"'{request.Role}' is not a role; use one of {string.Join(", ", Roles.All.Select(r => r.Name))}");
        }
        else if (role.OrganisationWide && scope?.Kind != BindingScopeKind.All)
        {
            errors.Add("role", $"{role.Name} is organisation-wide: grant it on all environments (an administrator's task)");
        }

        if (request.ExpiresInHours is { } hours && (hours < 1 || hours > MaxHours))
        {
            errors.Add("expiresInHours", $"must be between 1 and {MaxHours} (got {hours})");
        }

        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }

        return new RoleBinding(Guid.NewGuid(), kind, request.Subject!.Trim(), role!.Name, scope!,
            request.ExpiresInHours is { } h ? now.AddHours(h) : null, createdBy, now);
    }

    private static BindingScope? ParseScope(string? scope, ValidationErrors errors)
    {
        if (string.Equals(scope, "all", StringComparison.OrdinalIgnoreCase))
        {
            return BindingScope.Everywhere;
        }

        if (scope is not null && scope.StartsWith("tier:", StringComparison.OrdinalIgnoreCase) && EnvironmentTiers.TryParse(scope[5..], out var tier))
        {
            return BindingScope.ForTier(tier);
        }

        errors.Add("scope", $"'{scope}' is not a scope; use all or tier:<dev|test|staging|prod>");
        return null;
    }
}
