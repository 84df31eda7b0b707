namespace Portal.Web.SignIn;

/// <summary>Settings of the <c>SignIn</c> section.</summary>
public sealed class SignInOptions
{
    public const string SectionName = "SignIn";

    /// <summary><c>Local</c> (password accounts, the embedded default) or <c>Oidc</c> (Entra ID or any OpenID Connect issuer).</summary>
    public string Mode { get; set; } = "Local";

    /// <summary>How long a session lasts without activity (sliding).</summary>
    public int SessionHours { get; set; } = 8;

    /// <summary>How often an open tab re-checks its user and their role bindings.</summary>
    public int RevalidateSeconds { get; set; } = 30;

    public OidcSignInOptions Oidc { get; set; } = new();

    public bool IsOidc => string.Equals(Mode, "Oidc", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Settings of <c>SignIn:Oidc</c>.</summary>
public sealed class OidcSignInOptions
{
    /// <summary>The issuer, e.g. https://login.microsoftonline.com/{tenant}/v2.0; its metadata is read from
    /// {Authority}/.well-known/openid-configuration.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Secret of a confidential client; leave empty for a public client (PKCE only). Never logged.</summary>
    public string? ClientSecret { get; set; }

    public List<string> Scopes { get; set; } = ["openid", "profile", "email"];

    /// <summary>The ID token claim that becomes the Portal user name.</summary>
    public string UserNameClaim { get; set; } = "preferred_username";

    /// <summary>Claims whose values are the user's groups (Entra: groups and app roles).</summary>
    public List<string> GroupClaims { get; set; } = ["groups", "roles"];

    /// <summary>Issuer group (or app role) value to Portal group name. Unmapped values are kept as they are.</summary>
    public Dictionary<string, string> GroupMappings { get; set; } = [];

    /// <summary>Button text on the sign-in page.</summary>
    public string DisplayName { get; set; } = "Single sign-on";

    /// <summary>Only for test issuers on http://localhost: allow metadata over plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
