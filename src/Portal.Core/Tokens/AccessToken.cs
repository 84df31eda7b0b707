namespace Portal.Core.Tokens;

/// <summary>A personal access token: stored as a SHA-256 hash, shown to its user once.</summary>
public sealed record AccessToken(
    Guid Id,
    string UserName,
    string Name,
    string Hash,
    string Prefix,
    IReadOnlyList<string>? Environments,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt)
{
    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
