using Microsoft.AspNetCore.Components;
using Portal.Core.Costs;

namespace Portal.Web.Features.Costs;

/// <summary>
/// One environment's costs: the month against its budget, the daily chart stacked by service or by resource (the
/// choice in the URL), the top spenders and every service's split; each figure leads to how it was computed.
/// </summary>
public sealed partial class EnvironmentCostsPage
{
    private CostView _view = default!;
    private string? _rangeProblem;
    private string? _problem;
    private EnvironmentCostReport? _report;
    private DateTimeOffset _now;
    private bool _loaded;

    [Parameter]
    public string Name { get; set; } = "";

    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? To { get; set; }

    [SupplyParameterFromQuery(Name = "stack")]
    public string? Stack { get; set; }

    [Inject]
    private CostService Costs { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    /// <summary>The range an explanation can list (at most its longest, ending with the page's range).</summary>
    private CostRange ExplainRange => _view.Range.Days <= CostRange.MaxExplainDays
        ? _view.Range
        : new CostRange(_view.Range.To.AddDays(1 - CostRange.MaxExplainDays), _view.Range.To);

    protected override async Task OnParametersSetAsync()
    {
        _now = Clock.GetUtcNow();
        (_view, _rangeProblem) = CostView.Parse(From, To, null, Stack, _now);
        try
        {
            _report = await Costs.EnvironmentAsync(await User.PrincipalAsync(), Name, _view.Range.From, _view.Range.To, CancellationToken.None);
            _problem = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _problem = $"Could not read the costs of {Name}: {ex.Message}";
        }

        _loaded = true;
    }

    private void Apply(CostView view) => Navigation.NavigateTo(CostLinks.Environment(Name, view.Range, view.Stack));

    private string? DayLink(DateOnly day) => CostLinks.Explain(Name, new CostRange(day, day));

    private string? FigureLink(CostRow row, CostResource? resource) => CostLinks.Explain(Name, ExplainRange, row.Key, resource);
}
