namespace Portal.Infrastructure.Identity;

/// <summary>Settings of <c>SignIn:Local</c>: accounts that sign in with a password (the embedded default's demo users).</summary>
public sealed class LocalAccountOptions
{
    public const string SectionName = "SignIn:Local";

    /// <summary>Created at start-up when missing; an existing account's password is never overwritten.</summary>
    public List<LocalAccount> Accounts { get; set; } = [];

    /// <summary>Failed passwords in a row before the account is locked.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    public int LockoutMinutes { get; set; } = 15;
}

public sealed class LocalAccount
{
    public string UserName { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string? Email { get; set; }

    public List<string> Groups { get; set; } = [];

    /// <summary>Initial password, hashed when the account is created; never logged.</summary>
    public string Password { get; set; } = "";
}
