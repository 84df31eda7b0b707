using Microsoft.JSInterop;

namespace Portal.Web.Features.Logs;

/// <summary>Discover's browser module (<c>LogsPage.razor.js</c>): time zone, the "/" shortcut, scroll watching, the histogram's brush.</summary>
internal static class DiscoverScript
{
    public const string ModulePath = "./Features/Logs/LogsPage.razor.js";

    public static ValueTask<IJSObjectReference> ImportAsync(IJSRuntime js) => js.InvokeAsync<IJSObjectReference>("import", ModulePath);

    /// <summary>Releases a handle the module returned; a closed circuit has nothing left to release.</summary>
    public static async ValueTask DisposeQuietlyAsync(IJSObjectReference? handle)
    {
        if (handle is null)
        {
            return;
        }

        try
        {
            await handle.InvokeVoidAsync("dispose");
            await handle.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone, and its listeners with it.
        }
    }
}
