using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace Portal.Web.Components.Shared;

/// <summary>Top-bar picker of the current environment; the choice lives in the URL (<c>?env=</c>).</summary>
public sealed partial class EnvironmentSwitcher : IDisposable
{
    private string? _error;

    [Inject]
    private IEnvironmentCatalog Catalog { get; set; } = default!;

    [Inject]
    private EnvironmentContext Context { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private ILogger<EnvironmentSwitcher> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        Navigation.LocationChanged += OnLocationChanged;
        try
        {
            Context.Update(await Catalog.ListAsync(await User.PrincipalAsync(), CancellationToken.None), RequestedName());
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            // Only the switcher degrades; the rest of the shell keeps working.
            _error = "The environment list could not be loaded. It will be retried on the next page load.";
            Logger.LogWarning(ex, "Loading environments for the switcher failed");
        }
    }

    public void Dispose() => Navigation.LocationChanged -= OnLocationChanged;

    internal static BadgeStyle TierStyle(EnvironmentTier tier) => tier switch
    {
        EnvironmentTier.Prod => BadgeStyle.Danger,
        EnvironmentTier.Staging => BadgeStyle.Warning,
        EnvironmentTier.Test => BadgeStyle.Info,
        _ => BadgeStyle.Success,
    };

    private void OnChange(object? value)
    {
        if (value is string name && name != Context.Current?.Name)
        {
            Navigation.NavigateTo(Navigation.GetUriWithQueryParameter(EnvironmentContext.QueryParameter, name));
        }
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e) =>
        _ = InvokeAsync(() =>
        {
            Context.Update(Context.Available, RequestedName());
            StateHasChanged();
        });

    private string? RequestedName()
    {
        var query = QueryHelpers.ParseQuery(Navigation.ToAbsoluteUri(Navigation.Uri).Query);
        return query.TryGetValue(EnvironmentContext.QueryParameter, out var values) ? values.ToString() : null;
    }
}
