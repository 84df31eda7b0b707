using Portal.Web.Components.Shared;
using Radzen;

namespace Portal.Web.Hosting;

internal static class UiExtensions
{
    public const string ThemeCookie = "portal-theme";

    public static IHostApplicationBuilder AddPortalUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.AddPortalCircuitLimits();
        builder.Services.AddRadzenComponents();
        builder.Services.AddRadzenCookieThemeService(options =>
        {
            options.Name = ThemeCookie;
            options.Duration = TimeSpan.FromDays(365);
        });
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<EnvironmentContext>();
        builder.Services.AddScoped<CurrentUser>();
        return builder;
    }

    public static WebApplication UsePortalPipeline(this WebApplication app)
    {
        app.UsePortalSecurity();   // forwarded headers from trusted proxies, security headers, HSTS, cookie rules
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        Portal.Web.Api.DatabaseUnavailable.UseDatabaseUnavailableAnswers(app); // 503 + Retry-After, not 500, while the database is away
        app.UseStatusCodePagesWithReExecute("/not-found");
        app.Use((context, next) =>
        {
            // The API answers problem+json or a bare status; only people reading a page get the HTML not-found page.
            // A form POST is never re-executed into a Razor page, which would judge it by the page's antiforgery rules.
            var reader = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
            if ((Portal.Web.SignIn.ApiProblems.IsApi(context.Request) || !reader)
                && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            return next(context);
        });
        app.UseSignInRateLimits();
        app.UseAuthentication();
        app.UseBadCredentialThrottle();
        app.UseCrossSiteApiGuard();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPortalUi<TApp>(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapBlazorScriptFallback();
        app.MapRazorComponents<TApp>().AddInteractiveServerRenderMode();
        return app;
    }
}
