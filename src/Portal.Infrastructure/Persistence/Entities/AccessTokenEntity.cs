namespace Portal.Infrastructure.Persistence.Entities;

public sealed class AccessTokenEntity
{
    public Guid Id { get; set; }

    public required string UserName { get; set; }

    public required string Name { get; set; }

    /// <summary>SHA-256 of the token, hex. The token itself is never stored.</summary>
    public required string Hash { get; set; }

    public required string Prefix { get; set; }

    /// <summary>JSON array of environment names, or null for every environment.</summary>
    public string? Environments { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>Personal or Ingest.</summary>
    public string Kind { get; set; } = "Personal";
}
