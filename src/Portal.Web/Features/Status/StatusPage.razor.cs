using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Portal.Core.Costs;

namespace Portal.Web.Features.Status;

/// <summary>
/// The status overview: every environment the user may see with its health, last deploy, cost against budget, time
/// left and idleness, filtered by tier and team in the URL (<c>status?tier=dev&amp;team=payments</c>).
/// </summary>
public sealed partial class StatusPage
{
    public static readonly PortalFeature Feature = new(
        "status", "Status", "monitor_heart", "status", 5,
        "Every environment at a glance: health, last deploy, cost against budget, time left, and whether it sits idle.");

    private IReadOnlyList<EnvironmentStatusRow> _rows = [];
    private string _tier = "";
    private string _team = "";
    private string? _problem;
    private DateTimeOffset _now;

    [SupplyParameterFromQuery(Name = "tier")]
    public string? Tier { get; set; }

    [SupplyParameterFromQuery(Name = "team")]
    public string? Team { get; set; }

    [Inject]
    private StatusService Status { get; set; } = default!;

    [Inject]
    private IOptions<CostsOptions> Options { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private IEnumerable<string> Teams => _rows.Select(r => r.Environment.OwningTeam).Append(_team).Where(t => t.Length > 0)
        .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private IReadOnlyList<EnvironmentStatusRow> Shown => [.. _rows.Where(r =>
        (_tier.Length == 0 || r.Environment.Tier.ToWire() == _tier) && (_team.Length == 0 || r.Environment.OwningTeam == _team))];

    protected override async Task OnInitializedAsync()
    {
        _now = Clock.GetUtcNow();
        try
        {
            _rows = await Status.OverviewAsync(await User.PrincipalAsync(), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _problem = $"Could not read the environments' status: {ex.Message}";
        }
    }

    protected override void OnParametersSet()
    {
        _tier = Tier?.Trim().ToLowerInvariant() ?? "";
        _team = Team?.Trim() ?? "";
    }

    /// <summary>The filters go into the URL, so the filtered overview can be shared.</summary>
    private void Apply() => Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
    {
        ["tier"] = _tier.Length == 0 ? null : _tier,
        ["team"] = _team.Length == 0 ? null : _team,
    }));
}
