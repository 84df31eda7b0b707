using Microsoft.AspNetCore.Components;

namespace Portal.Web.Features.Alarms;

/// <summary>Edits the investigation's window; it takes the window again only when the page's changed (so typing survives a re-render).</summary>
public sealed partial class InvestigationWindowForm
{
    private (DateTimeOffset, DateTimeOffset)? _shown;
    private DateTime? _from;
    private DateTime? _to;
    private string? _error;

    [Parameter, EditorRequired]
    public string AlarmName { get; set; } = "";

    [Parameter, EditorRequired]
    public DateTimeOffset From { get; set; }

    [Parameter, EditorRequired]
    public DateTimeOffset To { get; set; }

    [Parameter]
    public EventCallback<(DateTimeOffset From, DateTimeOffset To)> OnApply { get; set; }

    protected override void OnParametersSet()
    {
        if (_shown == (From, To))
        {
            return;
        }

        _shown = (From, To);
        _from = AlarmFormat.LocalInput(From);
        _to = AlarmFormat.LocalInput(To);
        _error = null;
    }

    private async Task ApplyAsync()
    {
        var from = AlarmFormat.FromLocalInput(_from);
        var to = AlarmFormat.FromLocalInput(_to);
        _error = from is null || to is null ? "Enter both times."
            : from >= to ? "From must be before To."
            : null;
        if (_error is null)
        {
            await OnApply.InvokeAsync((from!.Value, to!.Value));
        }
    }
}
