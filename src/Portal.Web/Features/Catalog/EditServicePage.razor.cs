using Microsoft.AspNetCore.Components;
using Portal.Core.Catalog;

namespace Portal.Web.Features.Catalog;

/// <summary>Changes a service's definition; the edit carries the version it was loaded at, so a newer one is never overwritten.</summary>
public sealed partial class EditServicePage
{
    private ServiceDefinition? _service;
    private bool _mayManage;

    [Parameter]
    public string Name { get; set; } = "";

    [Inject]
    private CatalogService Catalog { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _mayManage = await Catalog.MayManageAsync(await User.PrincipalAsync(), CancellationToken.None);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _service = await Catalog.FindAsync(Name, CancellationToken.None);
        if (_service is null)
        {
            Navigation.NotFound();
        }
    }
}
