using Microsoft.Net.Http.Headers;

namespace Portal.Web.Hosting;

/// <summary>
/// Serves <c>_framework/blazor.web.js</c> when the build embedded the fallback script because the NuGet feed lacks
/// .NET 10's Microsoft.AspNetCore.App.Internal.Assets (build/BlazorScript.targets, docs/adr/0003). When the build
/// used the genuine package, there is no such resource and static assets serve the script as usual.
/// </summary>
internal static class BlazorScriptFallback
{
    public const string ResourceName = "Portal.Web.BlazorScript.blazor.web.js";
    private const string Route = "/_framework/blazor.web.js";

    public static bool IsEmbedded => typeof(BlazorScriptFallback).Assembly.GetManifestResourceInfo(ResourceName) is not null;

    public static WebApplication MapBlazorScriptFallback(this WebApplication app)
    {
        if (!IsEmbedded)
        {
            return app;
        }

        var script = ReadScript();
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(script))[..16]}\"");
        app.MapGet(Route, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(script, "text/javascript", entityTag: etag);
        }).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static byte[] ReadScript()
    {
        using var stream = typeof(BlazorScriptFallback).Assembly.GetManifestResourceStream(ResourceName)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
