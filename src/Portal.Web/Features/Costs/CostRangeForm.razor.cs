using Microsoft.AspNetCore.Components;
using Portal.Core.Costs;

namespace Portal.Web.Features.Costs;

/// <summary>What a cost page is asked to show: a range of days and a grouping or a stacking.</summary>
public sealed record CostView(CostRange Range, CostGrouping GroupBy, CostStack Stack)
{
    /// <summary>The view from the page's URL; a range that does not parse falls back to this month, and says why.</summary>
    public static (CostView View, string? Problem) Parse(string? from, string? to, string? groupBy, string? stack, DateTimeOffset now, int maxDays = CostRange.MaxDays)
    {
        var errors = new Dictionary<string, string[]>();
        var range = CostRange.Parse(from, to, now, errors, maxDays) ?? CostRange.ThisMonth(now);
        var grouping = Enum.TryParse<CostGrouping>(groupBy, ignoreCase: true, out var g) && Enum.IsDefined(g) && !int.TryParse(groupBy, out _) ? g : CostGrouping.Environment;
        var stacking = string.Equals(stack, "resource", StringComparison.OrdinalIgnoreCase) ? CostStack.Resource : CostStack.Service;
        var problem = errors.Count == 0 ? null : string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}."));
        return (new CostView(range, grouping, stacking), problem);
    }
}

/// <summary>Edits a <see cref="CostView"/>; takes it again only when the URL changed it.</summary>
public sealed partial class CostRangeForm
{
    private CostView? _shown;
    private DateOnly? _from;
    private DateOnly? _to;
    private CostGrouping _groupBy;
    private CostStack _stack;

    [Parameter, EditorRequired]
    public CostView View { get; set; } = default!;

    [Parameter]
    public bool ShowGrouping { get; set; }

    [Parameter]
    public bool ShowStack { get; set; }

    /// <summary>Why the URL's range was not taken (shown beside the form).</summary>
    [Parameter]
    public string? Problem { get; set; }

    [Parameter]
    public EventCallback<CostView> OnApply { get; set; }

    protected override void OnParametersSet()
    {
        if (View == _shown)
        {
            return;
        }

        _shown = View;
        (_from, _to, _groupBy, _stack) = (View.Range.From, View.Range.To, View.GroupBy, View.Stack);
    }

    private Task ApplyAsync()
    {
        var from = _from ?? View.Range.From;
        var to = _to ?? View.Range.To;
        return OnApply.InvokeAsync(new CostView(to < from ? new CostRange(to, from) : new CostRange(from, to), _groupBy, _stack));
    }
}
