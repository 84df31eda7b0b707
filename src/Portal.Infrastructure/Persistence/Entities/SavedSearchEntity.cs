namespace Portal.Infrastructure.Persistence.Entities;

public sealed class SavedSearchEntity
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Owner { get; set; }

    public string? SharedWith { get; set; }

    /// <summary>The Discover state as JSON (query, range, environment, columns, filters).</summary>
    public required string State { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
