namespace Portal.Core.Tokens;

/// <summary>
/// A token: stored as a SHA-256 hash, shown once. A <see cref="TokenKind.Personal"/> token acts as its user on the API;
/// an <see cref="TokenKind.Ingest"/> token may only ship logs to <c>/ingest/_bulk</c>.
/// </summary>
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
    DateTimeOffset? LastUsedAt,
    TokenKind Kind = TokenKind.Personal)
{
    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

public enum TokenKind
{
    Personal,

    /// <summary>For log shippers (Fluent Bit, Fluentd, Vector): <c>/ingest/_bulk</c> and nothing else.</summary>
    Ingest,
}
