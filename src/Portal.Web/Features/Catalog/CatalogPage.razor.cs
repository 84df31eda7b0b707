using Microsoft.AspNetCore.Components;
using Portal.Core.Catalog;
using Portal.Core.Deployments;

namespace Portal.Web.Features.Catalog;

/// <summary>
/// Every service in the catalog with what runs of it where: one column per environment the user may see, in tier
/// order. The filter lives in the URL (<c>?q=</c>) so a filtered view can be shared.
/// </summary>
public sealed partial class CatalogPage
{
    public static readonly PortalFeature Feature = new(
        "catalog", "Catalog", "apps", "services", 15,
        "Every service with its owner, its defaults and what version runs where; register services and promote releases between stages.");

    private IReadOnlyList<CatalogRow> _rows = [];
    private ServiceMap? _map;
    private bool _mayManage;
    private string? _filter;

    /// <summary><c>?q=</c>: part of a service's name or team.</summary>
    [SupplyParameterFromQuery(Name = "q")]
    public string? Query { get; set; }

    [Inject]
    private CatalogService Catalog { get; set; } = default!;

    [Inject]
    private DeploymentService Deployments { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private IEnumerable<CatalogRow> Visible => _rows.Where(r => r.Matches(_filter));

    protected override async Task OnInitializedAsync()
    {
        var who = await User.PrincipalAsync();
        var services = await Catalog.ListAsync(CancellationToken.None);
        _map = await Deployments.MapAsync(who, CancellationToken.None);
        _mayManage = await Catalog.MayManageAsync(who, CancellationToken.None);
        _rows = [.. services.Select(s => new CatalogRow(s.Name, s.OwningTeam, s.Description,
            ServiceStage.For(_map, s.Name).ToDictionary(stage => stage.Environment.Name, StringComparer.Ordinal)))];
    }

    protected override void OnParametersSet() => _filter = Query;

    /// <summary>Typing filters at once; the URL follows when the box is left or Enter is pressed.</summary>
    private void ApplyFilter(string? value)
    {
        _filter = value;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("q", string.IsNullOrWhiteSpace(value) ? null : value.Trim()), replace: true);
    }
}
