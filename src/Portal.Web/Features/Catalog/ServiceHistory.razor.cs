using Microsoft.AspNetCore.Components;
using Portal.Core.Catalog;

namespace Portal.Web.Features.Catalog;

public sealed partial class ServiceHistory
{
    private IReadOnlyList<ServiceRevision> _revisions = [];
    private (string, int)? _loadedFor;

    [Parameter, EditorRequired]
    public string Service { get; set; } = "";

    /// <summary>The definition's current version: a newer one reads the history again.</summary>
    [Parameter]
    public int Version { get; set; }

    [Inject]
    private CatalogService Catalog { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor != (Service, Version))
        {
            _revisions = await Catalog.HistoryAsync(Service, CancellationToken.None);
            _loadedFor = (Service, Version);
        }
    }
}
