namespace Portal.Infrastructure.Persistence.Entities;

public sealed class UserEntity
{
    /// <summary>Lower-case; the sign-in name.</summary>
    public required string UserName { get; set; }

    public required string DisplayName { get; set; }

    public string? Email { get; set; }

    /// <summary>JSON array of group names.</summary>
    public string Groups { get; set; } = "[]";

    /// <summary><c>local</c> or <c>oidc</c>.</summary>
    public required string Source { get; set; }

    /// <summary>ASP.NET Core Identity's PBKDF2 hash; null for single sign-on users.</summary>
    public string? PasswordHash { get; set; }

    public int FailedAttempts { get; set; }

    public DateTimeOffset? LockoutUntil { get; set; }

    public bool Disabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }
}
