namespace Portal.Infrastructure.Persistence.Entities;

public sealed class EnvironmentEntity
{
    public required string Name { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>The tier's wire form: dev, test, staging or prod.</summary>
    public required string Tier { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
