using Microsoft.AspNetCore.Components;
using Portal.Core.Costs;

namespace Portal.Web.Features.Costs;

public sealed partial class CostRowsTable
{
    private static readonly CostResource[] Resources = Enum.GetValues<CostResource>();

    [Parameter, EditorRequired]
    public IReadOnlyList<CostRow> Rows { get; set; } = [];

    [Parameter, EditorRequired]
    public string KeyTitle { get; set; } = "";

    [Parameter, EditorRequired]
    public string Currency { get; set; } = "";

    /// <summary>Each row's month against its budget; null leaves the month columns out.</summary>
    [Parameter]
    public IReadOnlyDictionary<string, MonthCost>? Months { get; set; }

    [Parameter]
    public CostRow? Unattributed { get; set; }

    /// <summary>Where a row's name leads (its own page), if anywhere.</summary>
    [Parameter]
    public Func<string, string?>? KeyLink { get; set; }

    /// <summary>Where a figure leads (its explanation): the row, and the resource (null for the total).</summary>
    [Parameter]
    public Func<CostRow, CostResource?, string?>? FigureLink { get; set; }
}
