namespace Portal.Web.Hosting;

/// <summary>
/// Settings of the <c>RateLimits</c> section. Sign-in: every password attempt counts, per account (the posted user
/// name, case-insensitive) and per client address. Bad credentials: only API and ingest calls whose token is unknown,
/// revoked or expired count, per client address; valid calls never do.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Twice the lockout's five failures: a person who mistypes meets the clearer lockout message first, while
    /// a locked account cannot be hammered at any speed.</summary>
    public int SignInPerAccount { get; set; } = 10;

    /// <summary>Room for a handful of people behind one NAT signing in at nine, not for guessing across accounts
    /// (which the per-account limit cannot see). Behind a proxy set Security:TrustedProxies, or every sign-in shares
    /// the proxy's address.</summary>
    public int SignInPerAddress { get; set; } = 30;

    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>One bad call a second: a shipper retrying with a revoked token every second just fits, a scanner does not.</summary>
    public int BadCredentialsPerAddress { get; set; } = 60;

    public TimeSpan BadCredentialsWindow { get; set; } = TimeSpan.FromMinutes(1);
}
