using Microsoft.AspNetCore.Components;
using Portal.Web.Hosting;

namespace Portal.Web.Components;

public partial class App
{
    internal const string DefaultTheme = "material";

    private string _theme = DefaultTheme;

    [CascadingParameter]
    private HttpContext? HttpContext { get; set; }

    /// <summary>Interactive Server everywhere except pages marked [ExcludeFromInteractiveRouting] (sign-in).</summary>
    private IComponentRenderMode? PageRenderMode =>
        HttpContext?.GetEndpoint()?.Metadata.GetMetadata<ExcludeFromInteractiveRoutingAttribute>() is not null
            ? null
            : Microsoft.AspNetCore.Components.Web.RenderMode.InteractiveServer;

    /// <summary>The Content-Security-Policy nonce of this response: the import map is an inline script.</summary>
    private string? Nonce => HttpContext?.GetCspNonce();

    protected override void OnInitialized()
    {
        // The first, server-rendered response picks the theme from the cookie, so a dark-mode user never sees a light flash.
        if (HttpContext?.Request.Cookies[UiExtensions.ThemeCookie] is { Length: > 0 } saved && IsKnownTheme(saved))
        {
            _theme = saved;
        }

        ThemeService.SetTheme(_theme, false);
    }

    internal static bool IsKnownTheme(string theme) =>
        theme is "material" or "material-dark" or "standard" or "standard-dark" or "default" or "dark"
            or "fluent" or "fluent-dark" or "humanistic" or "humanistic-dark" or "software" or "software-dark";
}
