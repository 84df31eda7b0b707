namespace Portal.Web.Hosting;

/// <summary>Settings of the <c>Security</c> section: how cookies travel and which proxies may name the client.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>
    /// Outside Development every cookie Portal sets is <c>Secure</c>, so a session never travels over plain http.
    /// Browsers accept Secure cookies from http://localhost and 127.0.0.1, so a loopback run needs nothing; set this to
    /// true only to run a non-Development Portal over plain http on another address (cookies then follow the request:
    /// Secure on https, not on http).
    /// </summary>
    public bool AllowHttpCookies { get; set; }

    /// <summary>
    /// Addresses (<c>10.0.0.7</c>) or networks (<c>10.0.0.0/8</c>) of the reverse proxies in front of Portal (the
    /// ingress controller). Their <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed: the client's
    /// address (for rate limits and the audit trail) and https (for HSTS and cookies). Empty: no header is believed,
    /// the connection's own address and scheme count.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}
