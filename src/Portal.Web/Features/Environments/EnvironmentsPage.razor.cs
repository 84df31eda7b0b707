using Microsoft.AspNetCore.Components;
using Portal.Core.Authorization;

namespace Portal.Web.Features.Environments;

/// <summary>The environments the user may see, with status, tier, owner and time left.</summary>
public sealed partial class EnvironmentsPage
{
    public static readonly PortalFeature Feature = new(
        "environments", "Environments", "dns", "environments", 10,
        "Create, inspect and destroy environments, and see who may do what in each.");

    private IReadOnlyList<PortalEnvironment> _environments = [];
    private string? _filter;

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private IEnumerable<PortalEnvironment> Visible => string.IsNullOrWhiteSpace(_filter)
        ? _environments
        : _environments.Where(e => Matches(e, _filter));

    protected override async Task OnInitializedAsync() =>
        _environments = await Environments.ListAsync(await User.PrincipalAsync(), CancellationToken.None);

    internal string TimeLeft(PortalEnvironment e) => TimeLeftText.Format(e.TimeLeft(Clock.GetUtcNow()));

    private static bool Matches(PortalEnvironment e, string filter) =>
        e.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)
        || e.DisplayName.Contains(filter, StringComparison.OrdinalIgnoreCase)
        || e.OwningTeam.Contains(filter, StringComparison.OrdinalIgnoreCase)
        || e.CostCentre.Contains(filter, StringComparison.OrdinalIgnoreCase);
}
