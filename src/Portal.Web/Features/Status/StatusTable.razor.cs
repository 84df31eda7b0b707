using Microsoft.AspNetCore.Components;
using Portal.Core.Costs;

namespace Portal.Web.Features.Status;

/// <summary>The status overview's rows as given, rendered; the page reads and filters them.</summary>
public sealed partial class StatusTable
{
    [Parameter, EditorRequired]
    public IReadOnlyList<EnvironmentStatusRow> Rows { get; set; } = [];

    [Parameter, EditorRequired]
    public DateTimeOffset Now { get; set; }

    [Parameter, EditorRequired]
    public string Currency { get; set; } = "";

    [Parameter]
    public string EmptyText { get; set; } = "No environment you may see.";
}
