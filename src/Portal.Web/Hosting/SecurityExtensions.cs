using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Portal.Web.Hosting;

/// <summary>
/// The <c>Security</c> and <c>RateLimits</c> sections: response headers, cookie rules, forwarded headers from
/// trusted proxies, HSTS, and the rate limits. README "Security" says the same for operators.
/// </summary>
internal static class SecurityExtensions
{
    public static IHostApplicationBuilder AddPortalSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>().Bind(builder.Configuration.GetSection(SecurityOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        var settings = builder.Configuration.GetSection(SecurityOptions.SectionName).Get<SecurityOptions>() ?? new SecurityOptions();
        var secureAlways = !builder.Environment.IsDevelopment() && !settings.AllowHttpCookies;

        // No "Server: Kestrel": it tells a scanner which exploits to try and nobody else anything.
        builder.Services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);

        // Every cookie set through the response (portal-session, antiforgery, single sign-on's correlation and nonce):
        // HttpOnly, since no script of ours reads them; SameSite at least Lax (antiforgery keeps its Strict; the
        // sign-in cookies must ride the top-level GET back from the issuer); Secure always outside Development (unless
        // Security:AllowHttpCookies), else whenever the request is https, directly or as a trusted proxy forwards it.
        builder.Services.Configure<CookiePolicyOptions>(o =>
        {
            o.HttpOnly = HttpOnlyPolicy.Always;
            o.MinimumSameSitePolicy = SameSiteMode.Lax;
            o.Secure = secureAlways ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });

        // The theme cookie is the one exception: Radzen's CookieThemeService writes it from script (document.cookie),
        // so it cannot be HttpOnly. It holds a theme name only, which App.razor.cs checks against the known themes.
        builder.Services.PostConfigure<CookieThemeServiceOptions>(o =>
        {
            o.SameSite = CookieSameSiteMode.Lax;
            o.IsSecure = secureAlways;
        });

        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;   // sibling hosts under the same domain are not Portal's to decide for
        });

        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in settings.TrustedProxies)
            {
                if (SecurityOptionsValidator.TryParseNetwork(proxy, out var network))
                {
                    o.KnownIPNetworks.Add(network);
                }
            }
        });

        return builder.AddPortalRateLimits();
    }

    /// <summary>
    /// The front of the pipeline: the client's real address and scheme first (everything after judges by them), then
    /// the headers every response carries, HSTS on https outside Development, and the cookie rules.
    /// </summary>
    public static WebApplication UsePortalSecurity(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            // On https requests only (and never for localhost). Behind a TLS-terminating ingress the request arrives as
            // http: list the ingress in Security:TrustedProxies so X-Forwarded-Proto makes it https again.
            app.UseHsts();
        }

        app.UseCookiePolicy();
        return app;
    }
}
