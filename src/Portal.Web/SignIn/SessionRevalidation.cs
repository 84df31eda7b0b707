using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;
using Portal.Core.Identity;
using Portal.Infrastructure.Persistence.Availability;

namespace Portal.Web.SignIn;

/// <summary>
/// The cookie's periodic check of the person behind it (at most every <see cref="CheckEvery"/> per user, so a page's
/// static files do not each ask the database): removed or disabled means signed out.
/// <para>
/// While the database is not answering, a session this process confirmed, or whose cookie was issued, within the
/// last <see cref="OutageGrace"/> is kept without asking: the cookie is signed and unexpired, the person was active moments before, and what they
/// can reach meanwhile (workloads from the cluster cache, logs) is read-only — every change needs the database and
/// is refused. Signing everyone out instead would lock out the on-call people exactly during the incident, and
/// they could not sign in again without the database. The bound limits how long someone disabled just before the
/// outage keeps reading; older sessions are signed out as before.
/// </para>
/// </summary>
internal static class SessionRevalidation
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan OutageGrace = TimeSpan.FromMinutes(15);

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var active = name is null ? false : await IsActiveAsync(context.HttpContext, name);
        if (active is null)
        {
            // Unknown while the database is away: keep a session confirmed or signed in within the grace, without
            // renewing the cookie (a renewal would move its issue time on and stretch the grace without a check).
            var issued = context.Properties.IssuedUtc;
            var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            active = IsConfirmed(context.HttpContext, name!) || (issued is { } at && now - at < OutageGrace);
            context.ShouldRenew = false;
        }

        if (active != true)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>Set while the database confirms the user; read during an outage to keep them signed in.</summary>
    private static string ConfirmedKey(string name) => $"portal.user-confirmed:{name.ToLowerInvariant()}";

    private static bool IsConfirmed(HttpContext http, string name) =>
        http.RequestServices.GetRequiredService<IMemoryCache>().TryGetValue(ConfirmedKey(name), out _);

    /// <summary>Whether the user is active, from the cache or the database; null when the database cannot say.</summary>
    private static async Task<bool?> IsActiveAsync(HttpContext http, string name)
    {
        var services = http.RequestServices;
        var cache = services.GetRequiredService<IMemoryCache>();
        var availability = services.GetRequiredService<DatabaseAvailability>();
        var checkedKey = $"portal.user-active:{name.ToLowerInvariant()}";
        var confirmedKey = ConfirmedKey(name);
        if (cache.TryGetValue(checkedKey, out bool active))
        {
            return active;
        }

        // Known to be away: do not make every request wait for a connection timeout.
        if (!availability.IsAvailable)
        {
            return null;
        }

        try
        {
            var user = await services.GetRequiredService<IUserDirectory>().FindAsync(name, http.RequestAborted);
            active = user is { Disabled: false };
        }
        catch (Exception ex) when (availability.ReportFailure(ex))
        {
            return null;
        }

        cache.Set(checkedKey, active, CheckEvery);
        if (active)
        {
            cache.Set(confirmedKey, true, OutageGrace);
        }
        else
        {
            cache.Remove(confirmedKey);
        }

        return active;
    }
}
