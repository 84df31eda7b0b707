using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Costs;

namespace Portal.Web.Features.Costs;

/// <summary>
/// Team budgets (set here by those with costs.manage) with each team's month so far, and the environments' budgets,
/// which are changed with the environment's other settings.
/// </summary>
public sealed partial class TeamBudgetsPage
{
    private IReadOnlyList<TeamBudget> _budgets = [];
    private IReadOnlyList<PortalEnvironment> _environments = [];
    private IReadOnlyDictionary<string, MonthCost> _teamMonths = new Dictionary<string, MonthCost>();
    private bool _mayManage;
    private string? _problem;
    private DateTimeOffset _now;

    [Inject]
    private CostService Costs { get; set; } = default!;

    [Inject]
    private PortalActions Actions { get; set; } = default!;

    [Inject]
    private IOptions<CostsOptions> Options { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private string Currency => Options.Value.Currency;

    /// <summary>Teams with a budget, and the teams owning an environment the user may see.</summary>
    private IEnumerable<string> Teams => _budgets.Select(b => b.Team).Concat(_environments.Select(e => e.OwningTeam))
        .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _now = Clock.GetUtcNow();
        try
        {
            var who = await User.PrincipalAsync();
            _mayManage = (await Actions.CheckAnywhereAsync(who, Permissions.CostsManage, CancellationToken.None)).Allowed;
            _budgets = await Costs.TeamBudgetsAsync(who, CancellationToken.None);
            _environments = await Actions.AllowedEnvironmentsAsync(who, Permissions.CostsRead, CancellationToken.None);
            var month = CostRange.ThisMonth(_now);
            _teamMonths = (await Costs.SummaryAsync(who, CostGrouping.Team, month.From, month.To, null, CancellationToken.None)).Months;
            _problem = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _problem = $"Could not read the budgets: {ex.Message}";
        }
    }
}
