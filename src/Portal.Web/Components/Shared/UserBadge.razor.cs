using System.Security.Claims;
using Portal.Web.SignIn;

namespace Portal.Web.Components.Shared;

public partial class UserBadge
{
    internal static string DisplayName(ClaimsPrincipal user) => user.FindFirst(PortalClaims.DisplayName)?.Value ?? user.Identity?.Name ?? "";

    internal static string Initials(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "?";
        }

        var parts = name.Split([' ', '.', '_', '-', '@'], StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(parts.Take(2).Select(p => char.ToUpperInvariant(p[0])));
    }
}
