using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Portal.Core.Tokens;

namespace Portal.Web.SignIn;

/// <summary><c>Authorization: Bearer ptl_…</c>: a personal access token, looked up by its hash.</summary>
public sealed class PortalTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccessTokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PortalToken";

    private const string Bearer = "Bearer ";

    /// <summary>
    /// The one rule for "this call carries a token" (<c>Authorization: Bearer …</c>): it picks the scheme, exempts the
    /// call from the cross-site guard, and makes a refused token count against its address.
    /// </summary>
    internal static bool HasBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith(Bearer, StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!HasBearerToken(Request))
        {
            return AuthenticateResult.NoResult();
        }

        var principal = await tokens.AuthenticateAsync(Request.Headers.Authorization.ToString()[Bearer.Length..].Trim(), Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail("The access token is unknown, revoked or expired.")
            : AuthenticateResult.Success(new AuthenticationTicket(PortalClaims.Create(principal, "token", SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Not authenticated",
            "Send a personal access token as 'Authorization: Bearer <token>' (create one on your profile page), or sign in.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "This token may not do that.");
}
