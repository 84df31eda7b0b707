using Microsoft.AspNetCore.Components;
using Portal.Core.Catalog;

namespace Portal.Web.Features.Catalog;

/// <summary>Registers a service in the catalog, for those who may (the catalog checks again on submit).</summary>
public sealed partial class NewServicePage
{
    private bool? _mayManage;

    [Inject]
    private CatalogService Catalog { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    protected override async Task OnInitializedAsync() =>
        _mayManage = await Catalog.MayManageAsync(await User.PrincipalAsync(), CancellationToken.None);
}
