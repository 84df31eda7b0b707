using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Portal.Core.Costs;

namespace Portal.Web.Features.Costs;

/// <summary>
/// The organisation's costs (or one team's, at <c>costs/teams/{team}</c>) over a range, grouped by environment, service
/// or team: a stacked daily chart, the rows against their budgets, and this month's budget notices. The range and the
/// grouping live in the URL.
/// </summary>
public sealed partial class CostsPage
{
    public static readonly PortalFeature Feature = new(
        "costs", "Costs", "payments", "costs", 60,
        "What each environment costs and why, against its budget and forecast, and which sit idle.");

    private CostView _view = default!;
    private string? _rangeProblem;
    private string? _problem;
    private CostSummary? _summary;
    private IReadOnlyList<BudgetNotice> _notices = [];

    [Parameter]
    public string? Team { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? To { get; set; }

    [SupplyParameterFromQuery(Name = "groupBy")]
    public string? GroupBy { get; set; }

    [Inject]
    private CostService Costs { get; set; } = default!;

    [Inject]
    private IOptions<CostsOptions> Options { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private string Currency => Options.Value.Currency;

    private string Heading => Team is null ? "Costs" : $"Costs of team {Team}";

    protected override async Task OnParametersSetAsync()
    {
        var now = Clock.GetUtcNow();
        (_view, _rangeProblem) = CostView.Parse(From, To, GroupBy, null, now);
        try
        {
            var who = await User.PrincipalAsync();
            _summary = await Costs.SummaryAsync(who, _view.GroupBy, _view.Range.From, _view.Range.To, Team, CancellationToken.None);
            _notices = [.. (await Costs.NoticesAsync(who, CostRange.Format(CostRange.Today(now))[..7], CancellationToken.None))
                .Where(n => Team is null || (n.Scope == BudgetScope.Team && n.Name == Team) || _summary.Months.ContainsKey(n.Name))];
            _problem = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _problem = $"Could not read the costs: {ex.Message}";
        }
    }

    private void Apply(CostView view) => Navigation.NavigateTo(CostLinks.Summary(view.Range, view.GroupBy, Team));

    private string? KeyLink(string key) => _view.GroupBy switch
    {
        CostGrouping.Environment => CostLinks.Environment(key, _view.Range),
        CostGrouping.Team => CostLinks.Summary(_view.Range, CostGrouping.Environment, key),
        _ => key.Split('/', 2) is [var env, _] ? CostLinks.Environment(env, _view.Range) : null,
    };

    /// <summary>An environment's or a service's figure leads to its records; a team's is many environments: none.</summary>
    private string? FigureLink(CostRow row, CostResource? resource)
    {
        if (_view.Range.Days > CostRange.MaxExplainDays)
        {
            return null;
        }

        return _view.GroupBy switch
        {
            CostGrouping.Environment => CostLinks.Explain(row.Key, _view.Range, null, resource),
            CostGrouping.Service when row.Key.Split('/', 2) is [var env, var service] => CostLinks.Explain(env, _view.Range, service, resource),
            _ => null,
        };
    }
}
