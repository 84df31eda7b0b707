using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Core.Identity;

namespace Portal.Web.SignIn;

/// <summary>
/// OpenID Connect authorization code flow with PKCE on the shared framework's OAuth handler (Microsoft.Identity.Web
/// is not on the mirror): endpoints from the issuer's metadata, a nonce per challenge, and the ID token validated
/// with Microsoft.IdentityModel (signature against the issuer's keys, issuer, audience, lifetime, nonce, no replay).
/// </summary>
public sealed class PortalOidcHandler(
    IOptionsMonitor<PortalOidcOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IUserDirectory users, NonceReplayCache nonces, SignInAudit audit)
    : OAuthHandler<PortalOidcOptions>(options, logger, encoder)
{
    public const string SchemeName = "oidc";
    private const string NonceKey = "portal.nonce";
    private const string CodeVerifierKey = "code_verifier";

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var metadata = await Options.Metadata!.GetConfigurationAsync(Context.RequestAborted);
        properties.Items[NonceKey] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var placeholder = Options.AuthorizationEndpoint;
        await base.HandleChallengeAsync(properties);

        // The base class redirected to the placeholder endpoint: point it at the issuer's, and add the nonce.
        var location = Response.Headers.Location.ToString();
        if (location.StartsWith(placeholder, StringComparison.Ordinal))
        {
            var url = metadata.AuthorizationEndpoint + location[placeholder.Length..];
            Response.Headers.Location = QueryHelpers.AddQueryString(url, "nonce", properties.Items[NonceKey]!);
        }
    }

    protected override async Task<OAuthTokenResponse> ExchangeCodeAsync(OAuthCodeExchangeContext context)
    {
        var metadata = await Options.Metadata!.GetConfigurationAsync(Context.RequestAborted);
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = context.Code,
            ["redirect_uri"] = context.RedirectUri,
            ["client_id"] = Options.ClientId,
        };
        if (context.Properties.Items.Remove(CodeVerifierKey, out var verifier) && verifier is not null)
        {
            form["code_verifier"] = verifier;
        }

        if (!string.IsNullOrEmpty(Options.Settings.ClientSecret))
        {
            form["client_secret"] = Options.Settings.ClientSecret;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, metadata.TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await Backchannel.SendAsync(request, Context.RequestAborted);
        var body = await response.Content.ReadAsStringAsync(Context.RequestAborted);
        return response.IsSuccessStatusCode
            ? OAuthTokenResponse.Success(JsonDocument.Parse(body))
            : OAuthTokenResponse.Failed(new AuthenticationFailureException($"The token endpoint answered {(int)response.StatusCode}."));
    }

    protected override async Task<AuthenticationTicket> CreateTicketAsync(ClaimsIdentity identity, AuthenticationProperties properties, OAuthTokenResponse tokens)
    {
        var metadata = await Options.Metadata!.GetConfigurationAsync(Context.RequestAborted);
        if (!tokens.Response!.RootElement.TryGetProperty("id_token", out var idTokenElement) || idTokenElement.GetString() is not { } idToken)
        {
            throw await RefuseAsync("", "the token response has no id_token");
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = metadata.Issuer,
            ValidAudience = Options.ClientId,
            IssuerSigningKeys = metadata.SigningKeys,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromMinutes(2),
        });
        if (!result.IsValid)
        {
            throw await RefuseAsync("", $"the ID token is not valid ({result.Exception?.GetType().Name ?? "invalid"})");
        }

        var token = (JsonWebToken)result.SecurityToken;
        var expected = properties.Items.TryGetValue(NonceKey, out var n) ? n : null;
        var nonce = token.TryGetPayloadValue<string>("nonce", out var value) ? value : null;
        if (expected is null || nonce != expected)
        {
            throw await RefuseAsync("", "the ID token's nonce does not match this sign-in");
        }

        if (!nonces.TryUse(nonce, token.ValidTo))
        {
            throw await RefuseAsync("", "the ID token's nonce was already used (replay)");
        }

        var principal = ToPrincipal(token);
        var known = await users.FindAsync(principal.UserName, Context.RequestAborted);
        if (known is { Source: not "oidc" })
        {
            throw await RefuseAsync(principal.UserName, "a local account already has this user name");
        }

        if (known is { Disabled: true })
        {
            throw await RefuseAsync(principal.UserName, "the user is disabled in Portal");
        }

        await users.UpsertAsync(new PortalUser(principal.UserName, principal.DisplayName, Claim(token, "email"), principal.Groups, "oidc", false), Context.RequestAborted);
        await audit.RecordAsync(Context, principal.UserName, "oidc", AuditOutcome.Succeeded, "Signed in with single sign-on.");
        return new AuthenticationTicket(PortalClaims.Create(principal, "oidc", SignInScheme ?? Scheme.Name), properties, Scheme.Name);
    }

    private PortalPrincipal ToPrincipal(JsonWebToken token)
    {
        var settings = Options.Settings;
        // The issuer's own user name claim, or its stable subject; never the (unverified) email.
        var userName = (Claim(token, settings.UserNameClaim) ?? token.Subject).ToLowerInvariant();

        // With mappings configured they are an allow-list: an unmapped issuer group grants nothing in Portal.
        var values = settings.GroupClaims.SelectMany(c => token.Claims.Where(x => x.Type == c).Select(x => x.Value));
        var groups = (settings.GroupMappings.Count == 0
                ? values
                : values.Where(settings.GroupMappings.ContainsKey).Select(g => settings.GroupMappings[g]))
            .ToHashSet(StringComparer.Ordinal);
        return new PortalPrincipal(userName, Claim(token, "name") ?? userName, groups);
    }

    private static string? Claim(JsonWebToken token, string type) => token.Claims.FirstOrDefault(c => c.Type == type)?.Value;

    private async Task<AuthenticationFailureException> RefuseAsync(string userName, string reason)
    {
        await audit.RecordAsync(Context, userName, "oidc", AuditOutcome.Denied, $"Single sign-on refused: {reason}.");
        return new AuthenticationFailureException($"Single sign-on refused: {reason}.");
    }
}
