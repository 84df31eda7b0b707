using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Portal.Web.SignIn;

internal static class SignInExtensions
{
    /// <summary>The scheme that picks the cookie or the bearer token per request.</summary>
    public const string PortalScheme = "Portal";

    /// <summary>
    /// The <c>SignIn</c> section: a cookie session (local accounts or OpenID Connect) for people, personal access
    /// tokens for the API, and every endpoint requiring one of them unless it says otherwise.
    /// </summary>
    public static IHostApplicationBuilder AddPortalSignIn(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SignInOptions>().Bind(builder.Configuration.GetSection(SignInOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SignInOptions>, SignInOptionsValidator>();
        var settings = builder.Configuration.GetSection(SignInOptions.SectionName).Get<SignInOptions>() ?? new SignInOptions();

        var authentication = builder.Services.AddAuthentication(PortalScheme)
            .AddPolicyScheme(PortalScheme, "Cookie or access token", o => o.ForwardDefaultSelector = context =>
                PortalTokenAuthenticationHandler.HasBearerToken(context.Request)
                    ? PortalTokenAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "portal-session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(settings.SessionHours);
                o.LoginPath = "/account/login";
                o.LogoutPath = "/account/logout";
                o.AccessDeniedPath = "/account/login";
                // Re-checks the person behind the cookie every 30 s; keeps confirmed sessions while the database is away.
                o.Events.OnValidatePrincipal = SessionRevalidation.ValidateAsync;
                o.Events.OnRedirectToLogin = context => ApiOr(context, StatusCodes.Status401Unauthorized, "Not authenticated", "Sign in, or send a personal access token.");
                o.Events.OnRedirectToAccessDenied = context => ApiOr(context, StatusCodes.Status403Forbidden, "Forbidden", "You may not do that.");
            })
            .AddScheme<AuthenticationSchemeOptions, PortalTokenAuthenticationHandler>(PortalTokenAuthenticationHandler.SchemeName, null);

        if (settings.IsOidc)
        {
            authentication.AddOAuth<PortalOidcOptions, PortalOidcHandler>(PortalOidcHandler.SchemeName, settings.Oidc.DisplayName, o =>
            {
                var oidc = settings.Oidc;
                var authority = oidc.Authority!.TrimEnd('/');
                o.Settings = oidc;
                o.ClientId = oidc.ClientId!;
                o.ClientSecret = string.IsNullOrEmpty(oidc.ClientSecret) ? "(public client)" : oidc.ClientSecret;
                o.AuthorizationEndpoint = authority;
                o.TokenEndpoint = authority;
                o.CallbackPath = "/account/sso-callback";
                o.UsePkce = true;

                // The correlation cookie rides the top-level GET back from the issuer, which SameSite=Lax allows; its
                // default (None + Secure always) would be dropped on a plain-http development setup.
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SaveTokens = false;
                o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                foreach (var scope in oidc.Scopes)
                {
                    o.Scope.Add(scope);
                }

                o.Metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
                    $"{authority}/.well-known/openid-configuration",
                    new OpenIdConnectConfigurationRetriever(),
                    new HttpDocumentRetriever { RequireHttps = oidc.RequireHttpsMetadata });
                o.Events.OnRemoteFailure = context =>
                {
                    context.Response.Redirect("/account/login?error=sso");
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            });
        }

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(PortalScheme).RequireAuthenticatedUser().Build());
        builder.Services.AddScoped<AuthenticationStateProvider, PortalAuthenticationStateProvider>();
        builder.Services.AddSingleton<NonceReplayCache>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<SignInAudit>();
        builder.Services.AddHttpContextAccessor();
        return builder;
    }

    private static Task ApiOr(RedirectContext<CookieAuthenticationOptions> context, int status, string title, string detail)
    {
        if (ApiProblems.IsApi(context.Request))
        {
            return ApiProblems.WriteAsync(context.HttpContext, status, title, detail);
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
