using System.Security.Claims;
using Portal.Core.Authorization;

namespace Portal.Web.SignIn;

/// <summary>The claims Portal puts in its cookie or token identity, and the way back to a <see cref="PortalPrincipal"/>.</summary>
public static class PortalClaims
{
    public const string DisplayName = "portal/display_name";
    public const string Group = "portal/group";
    public const string TokenEnvironment = "portal/token_environment";
    public const string ViaToken = "portal/via_token";
    public const string Source = "portal/source";

    public static ClaimsPrincipal Create(PortalPrincipal principal, string source, string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, principal.UserName),
            new(DisplayName, principal.DisplayName),
            new(Source, source),
        };
        claims.AddRange(principal.Groups.Select(g => new Claim(Group, g)));
        if (principal.ViaToken)
        {
            claims.Add(new Claim(ViaToken, "true"));
            claims.AddRange((principal.TokenEnvironments ?? new HashSet<string>()).Select(e => new Claim(TokenEnvironment, e)));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static PortalPrincipal ToPortalPrincipal(this ClaimsPrincipal user)
    {
        if (user.Identity is not { IsAuthenticated: true, Name: { Length: > 0 } name })
        {
            return PortalPrincipal.Anonymous;
        }

        var viaToken = user.HasClaim(ViaToken, "true");
        var environments = user.FindAll(TokenEnvironment).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new PortalPrincipal(
            name,
            user.FindFirst(DisplayName)?.Value ?? name,
            user.FindAll(Group).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
            viaToken && environments.Count > 0 ? environments : null,
            viaToken);
    }
}
