using Portal.Web.SignIn;

namespace Portal.Web.Hosting;

/// <summary>
/// Cross-site request forgery on the JSON API. A bearer token is never sent by a browser on its own, so only calls
/// riding the session cookie need care. SameSite=Lax keeps the cookie off cross-site POSTs, and bodies must be
/// application/json (415 otherwise), which no plain form can send; but SameSite counts a sibling subdomain as the
/// same site, and some calls (approve, cancel, retry, ack, DELETE) need no body. So an unsafe cookie call is refused
/// when the browser says it came from another origin: <c>Sec-Fetch-Site</c> other than same-origin or none, or, from
/// browsers without fetch metadata, an <c>Origin</c> whose host is not this one. Clients that are not browsers send
/// neither header and are unaffected.
/// </summary>
internal static class CrossSiteApiGuard
{
    public static IApplicationBuilder UseCrossSiteApiGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (ApiProblems.IsApi(request) && !IsSafe(request.Method)
            && !PortalTokenAuthenticationHandler.HasBearerToken(request)
            && IsCrossOrigin(request))
        {
            await ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "Cross-site request refused",
                "This call came from another site's page with your session cookie. Call the API from Portal's own pages, or with a personal access token.");
            return;
        }

        await next(context);
    });

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    internal static bool IsCrossOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is not ("same-origin" or "none");
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0
            && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }
}
