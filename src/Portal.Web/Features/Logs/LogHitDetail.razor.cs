using Microsoft.AspNetCore.Components;
using Portal.Core.Logs;

namespace Portal.Web.Features.Logs;

/// <summary>
/// One hit expanded: all its fields flattened (filter for, filter out, toggle as column), its JSON as shipped, a
/// link to its pod, and its surrounding documents.
/// </summary>
public sealed partial class LogHitDetail
{
    private bool _json;
    private bool _surrounding;

    [Parameter, EditorRequired]
    public LogHit Hit { get; set; } = default!;

    [Parameter]
    public IReadOnlyList<string> Columns { get; set; } = [];

    [Parameter]
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    [Parameter]
    public EventCallback<LogFilter> OnFilter { get; set; }

    [Parameter]
    public EventCallback<string> OnToggleColumn { get; set; }
}
