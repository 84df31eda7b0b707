using Microsoft.AspNetCore.Components;
using Portal.Core.Costs;

namespace Portal.Web.Features.Costs;

/// <summary>
/// How a figure was computed (<c>costs/explain?environment=dev&amp;from=…&amp;to=…&amp;service=…&amp;resource=…</c>): the
/// hourly records behind it with hours, requests, usage, allocation, prices and cost, and the idle shares.
/// </summary>
public sealed partial class CostExplainPage
{
    private CostView _view = default!;
    private string? _rangeProblem;
    private string? _problem;
    private CostExplanation? _explanation;
    private bool _loaded;

    [SupplyParameterFromQuery(Name = "environment")]
    public string? Environment { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? To { get; set; }

    [SupplyParameterFromQuery(Name = "service")]
    public string? Service { get; set; }

    [SupplyParameterFromQuery(Name = "resource")]
    public string? Resource { get; set; }

    [Inject]
    private CostService Costs { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private CostResource? ParsedResource =>
        Enum.TryParse<CostResource>(Resource, ignoreCase: true, out var r) && Enum.IsDefined(r) && !int.TryParse(Resource, out _) ? r : null;

    protected override async Task OnParametersSetAsync()
    {
        (_view, _rangeProblem) = CostView.Parse(From, To, null, null, Clock.GetUtcNow(), CostRange.MaxExplainDays);
        _explanation = null;
        _problem = null;
        if (string.IsNullOrWhiteSpace(Environment))
        {
            _problem = "Which environment? Open an explanation from a figure on a cost page.";
            _loaded = true;
            return;
        }

        try
        {
            var (from, to) = _view.Range.Instants();
            _explanation = await Costs.ExplainAsync(await User.PrincipalAsync(), Environment, from, to, string.IsNullOrWhiteSpace(Service) ? null : Service,
                ParsedResource, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _problem = $"Could not read the records: {ex.Message}";
        }

        _loaded = true;
    }

    private void Apply(CostView view) => Navigation.NavigateTo(CostLinks.Explain(Environment ?? "", view.Range, Service, ParsedResource));

    private static string Scope(CostExplanation e) =>
        $"{(e.Resource is { } r ? CostFormat.Resource(r) + " cost" : "Cost")} of {(e.Service is { } s ? $"service {s} in " : "")}{e.Environment} " +
        $"from {CostFormat.Time(e.From)} to {CostFormat.Time(e.To)}";
}
