namespace Portal.Infrastructure.Persistence.Entities;

public sealed class RoleBindingEntity
{
    public Guid Id { get; set; }

    public required string SubjectKind { get; set; }

    public required string Subject { get; set; }

    public required string Role { get; set; }

    public required string ScopeKind { get; set; }

    public string? ScopeValue { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
