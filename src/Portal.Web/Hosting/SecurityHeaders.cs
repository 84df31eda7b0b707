using System.Security.Cryptography;

namespace Portal.Web.Hosting;

/// <summary>
/// The headers every response carries (pages, API, static files, errors, not-found, health), set when the response
/// starts so that the exception handler, which clears headers before re-executing, cannot lose them.
/// </summary>
internal static class SecurityHeaders
{
    private static readonly object NonceKey = new();

    /// <summary>
    /// <c>script-src</c>: our own files plus the one inline script, the import map (<c>&lt;ImportMap nonce&gt;</c> in
    /// App.razor, which maps LogsPage.razor.js to its fingerprinted file), by a nonce fresh for every response.
    /// <c>style-src 'unsafe-inline'</c>: Radzen's components and our charts render <c>style="…"</c> attributes (widths,
    /// positions, colours) and Blazor sets them with setAttribute, which a nonce cannot cover; a style cannot run code.
    /// <c>connect-src 'self'</c> covers the circuit's WebSocket on the page's own host and port (CSP 3; the browser test
    /// proves it in Chromium). <c>form-action 'self'</c>: both forms (sign-in, sign-out) post here and redirect here;
    /// single sign-on starts from a link, which form-action does not govern.
    /// </summary>
    internal static string ContentSecurityPolicy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self'; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    /// <summary>Only features a page might ask for; Portal uses none of them.</summary>
    internal const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    /// <summary>
    /// <c>same-origin</c>: Portal's URLs name environments, workloads and log queries, and none of that should reach
    /// the runbook or console a link points at (not even the origin, which names an internal host); within Portal the
    /// full referrer stays, and same-origin POSTs keep a real <c>Origin</c> header (under <c>no-referrer</c> it would be
    /// "null"), which <see cref="CrossSiteApiGuard"/> checks.
    /// </summary>
    internal const string ReferrerPolicy = "same-origin";

    /// <summary>The nonce of this response's Content-Security-Policy, for the inline scripts App.razor renders.</summary>
    public static string? GetCspNonce(this HttpContext context) => context.Items[NonceKey] as string;

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // base64url (CSP's nonce grammar allows '-' and '_'): no '+' or '/', which Razor would write as entities.
        var nonce = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));
        context.Items[NonceKey] = nonce;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = ReferrerPolicy;
            headers["Permissions-Policy"] = PermissionsPolicy;
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers.Remove("X-Powered-By");
            return Task.CompletedTask;
        });
        return next(context);
    });
}
