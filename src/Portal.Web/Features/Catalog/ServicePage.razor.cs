using Microsoft.AspNetCore.Components;
using Portal.Core.Catalog;

namespace Portal.Web.Features.Catalog;

/// <summary>
/// One service: its header, then its pipeline, releases and definition history as tabs. The tab and the releases'
/// filter and comparison live in the URL (<c>?tab=releases&amp;environment=…&amp;from=…&amp;to=…</c>), so any view can be shared.
/// </summary>
public sealed partial class ServicePage
{
    private static readonly string[] TabKeys = ["pipeline", "releases", "history"];

    private ServiceDefinition? _service;
    private bool _mayManage;

    [Parameter]
    public string Name { get; set; } = "";

    [SupplyParameterFromQuery(Name = "tab")]
    public string? Tab { get; set; }

    /// <summary>The releases tab's environment filter.</summary>
    [SupplyParameterFromQuery(Name = "environment")]
    public string? Environment { get; set; }

    /// <summary>With <see cref="To"/>: the two releases compared on the releases tab.</summary>
    [SupplyParameterFromQuery(Name = "from")]
    public Guid? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public Guid? To { get; set; }

    [Inject]
    private CatalogService Catalog { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private int SelectedIndex => Math.Max(0, Array.IndexOf(TabKeys, Tab?.ToLowerInvariant()));

    protected override async Task OnParametersSetAsync()
    {
        // The query changes with every tab and filter; the service is read again only for another service.
        if (_service?.Name == Name)
        {
            return;
        }

        _service = await Catalog.FindAsync(Name, CancellationToken.None);
        if (_service is null)
        {
            Navigation.NotFound();
            return;
        }

        _mayManage = await Catalog.MayManageAsync(await User.PrincipalAsync(), CancellationToken.None);
    }

    private void OnTabChanged(int index) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("tab", index == 0 ? null : TabKeys[index]), replace: true);
}
