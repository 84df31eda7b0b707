namespace Portal.Infrastructure.Persistence.Entities;

public sealed class DataProtectionKeyEntity
{
    public required string FriendlyName { get; set; }

    public required string Xml { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
