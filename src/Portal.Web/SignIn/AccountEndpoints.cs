using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Infrastructure.Identity;

namespace Portal.Web.SignIn;

internal static class AccountEndpoints
{
    /// <summary>Where the password form posts (the group below maps it); the sign-in rate limits in Hosting/RateLimits.cs watch it.</summary>
    public const string SignInPath = "/account/sign-in";

    /// <summary>Sign-in (password or single sign-on) and sign-out. The sign-in page itself is a Razor component.</summary>
    public static WebApplication MapPortalAccount(this WebApplication app)
    {
        var account = app.MapGroup("/account").AllowAnonymous().ExcludeFromDescription();
        // Antiforgery is checked by the middleware and answered here (an expired form gets a message, not an error page).
        account.MapPost("/sign-in", SignInWithPasswordAsync).WithMetadata(new RequireAntiforgeryTokenAttribute());
        account.MapGet("/sso", (string? returnUrl, IOptions<SignInOptions> options) =>
            options.Value.IsOidc
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOrHome(returnUrl) }, [PortalOidcHandler.SchemeName])
                : Results.NotFound());
        account.MapPost("/logout", async (HttpContext context) =>
        {
            if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
            {
                return Results.BadRequest();
            }

            var who = context.User.Identity?.Name;
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (who is not null)
            {
                await context.RequestServices.GetRequiredService<SignInAudit>().RecordAsync(context, who, "sign-out", AuditOutcome.Succeeded, "Signed out.", "auth.sign-out");
            }

            return Results.Redirect("/account/login?signedOut=1");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());
        return app;
    }

    private static async Task<IResult> SignInWithPasswordAsync(
        HttpContext context, LocalAccountService accounts, SignInAudit audit, IOptions<SignInOptions> options)
    {
        if (options.Value.IsOidc)
        {
            return Results.NotFound();
        }

        if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false } || !context.Request.HasFormContentType)
        {
            return Results.Redirect("/account/login?error=expired");
        }

        var fields = await context.Request.ReadFormAsync(context.RequestAborted);
        var form = new LoginForm { UserName = fields["UserName"], Password = fields["Password"], ReturnUrl = fields["ReturnUrl"] };

        var userName = (form.UserName ?? "").Trim();
        // The typed name is not echoed back in the URL: people type passwords into the wrong field.
        var back = $"/account/login?returnUrl={Uri.EscapeDataString(LocalOrHome(form.ReturnUrl))}";
        if (userName.Length == 0 || string.IsNullOrEmpty(form.Password))
        {
            return Results.Redirect(back + "&error=missing");
        }

        var result = await accounts.CheckAsync(userName, form.Password, context.RequestAborted);
        switch (result.Outcome)
        {
            case PasswordCheck.Succeeded:
                var user = result.User!;
                var principal = new PortalPrincipal(user.UserName, user.DisplayName, user.Groups);
                await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                    PortalClaims.Create(principal, "local", CookieAuthenticationDefaults.AuthenticationScheme),
                    new AuthenticationProperties { IsPersistent = false });
                await audit.RecordAsync(context, user.UserName, "password", AuditOutcome.Succeeded, "Signed in with a password.");
                return Results.LocalRedirect(LocalOrHome(form.ReturnUrl));
            case PasswordCheck.LockedOut:
                await audit.RecordAsync(context, userName, "password", AuditOutcome.Denied, $"Account locked until {result.LockedUntil:u}.");
                return Results.Redirect(back + "&error=locked");
            default:
                // An unknown name is not written down as typed (it may be a mistyped password).
                await audit.RecordAsync(context, result.KnownUser ? userName : "(unknown user)", "password", AuditOutcome.Denied, "Wrong user name or password.");
                return Results.Redirect(back + "&error=invalid");
        }
    }

    /// <summary>A path on this site, or "/": no scheme, no "//" or "/\\", no control characters or spaces that a
    /// browser would strip into one.</summary>
    internal static string LocalOrHome(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/')
        && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
        && !returnUrl.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            ? returnUrl
            : "/";

    internal sealed class LoginForm
    {
        public string? UserName { get; set; }

        public string? Password { get; set; }

        public string? ReturnUrl { get; set; }
    }
}
