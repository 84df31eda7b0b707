namespace Portal.Infrastructure.Persistence.Entities;

/// <summary>A catalog service: the searchable columns, and the whole definition as JSON.</summary>
public sealed class ServiceEntity
{
    public required string Name { get; set; }

    public required string OwningTeam { get; set; }

    public required string Definition { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string UpdatedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public int Version { get; set; } = 1;
}

public sealed class ServiceRevisionEntity
{
    public required string Service { get; set; }

    public int Version { get; set; }

    public required string Definition { get; set; }

    public required string ChangedBy { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>The changed fields, as a JSON array.</summary>
    public required string Changed { get; set; }
}

public sealed class ReleaseEntity
{
    public Guid Id { get; set; }

    public required string Service { get; set; }

    public required string Environment { get; set; }

    public int Number { get; set; }

    public required string Kind { get; set; }

    public Guid? Source { get; set; }

    public required string Spec { get; set; }

    public required string Manifests { get; set; }

    public required string RequestedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public required string State { get; set; }

    public string? Failure { get; set; }

    public string? FailureReason { get; set; }

    public Guid? JobId { get; set; }

    public string Samples { get; set; } = "[]";

    public int Version { get; set; } = 1;
}
