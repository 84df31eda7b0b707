using Microsoft.AspNetCore.Components;
using Portal.Core.Logs;

namespace Portal.Web.Features.Logs;

/// <summary>
/// The hits, newest first: time (in the user's zone, to the millisecond) and the chosen columns; a row expands (by
/// keyboard too: its toggle is a button) into <see cref="LogHitDetail"/>.
/// </summary>
public sealed partial class LogResultsTable
{
    private readonly HashSet<string> _expanded = new(StringComparer.Ordinal);

    [Parameter, EditorRequired]
    public IReadOnlyList<LogHit> Rows { get; set; } = [];

    /// <summary>The chosen columns after the time; none shows the log line.</summary>
    [Parameter]
    public IReadOnlyList<string> Columns { get; set; } = [];

    [Parameter]
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Several environments were searched: each row says which one.</summary>
    [Parameter]
    public bool ShowEnvironment { get; set; }

    [Parameter]
    public EventCallback<LogFilter> OnFilter { get; set; }

    [Parameter]
    public EventCallback<string> OnToggleColumn { get; set; }

    private int ColumnCount => 2 + (ShowEnvironment ? 1 : 0) + Math.Max(1, Columns.Count);

    private void Toggle(string id)
    {
        if (!_expanded.Remove(id))
        {
            _expanded.Add(id);
        }
    }
}
