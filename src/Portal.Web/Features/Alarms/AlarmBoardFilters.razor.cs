using Microsoft.AspNetCore.Components;
using Portal.Core.Alarms;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// Edits an <see cref="AlarmBoardQuery"/>. It takes the query again only when the URL changed it, so a live refresh of
/// the board does not wipe what is being typed.
/// </summary>
public sealed partial class AlarmBoardFilters
{
    private static readonly AlarmState[] States = [AlarmState.Alarm, AlarmState.InsufficientData, AlarmState.Ok];

    private AlarmBoardQuery? _shown;
    private string _state = "";
    private string _environment = "";
    private string _service = "";
    private string _severity = "";
    private string _text = "";

    [Parameter, EditorRequired]
    public AlarmBoardQuery Query { get; set; } = new();

    /// <summary>The environments whose alarms the user may see.</summary>
    [Parameter]
    public IReadOnlyList<string> Environments { get; set; } = [];

    /// <summary>The services of the alarms the user may see.</summary>
    [Parameter]
    public IReadOnlyList<string> Services { get; set; } = [];

    [Parameter]
    public EventCallback<AlarmBoardQuery> OnApply { get; set; }

    protected override void OnParametersSet()
    {
        if (Query == _shown)
        {
            return;
        }

        _shown = Query;
        _state = Query.State is { } state ? AlarmDto.Wire(state) : "";
        _environment = Query.Environment ?? "";
        _service = Query.Service ?? "";
        _severity = Query.Severity is { } severity ? AlarmFormat.Severity(severity) : "";
        _text = Query.Text ?? "";
    }

    /// <summary>The choices, and the chosen value even when no alarm has it now (a shared link to a quiet service).</summary>
    private static IEnumerable<string> WithCurrent(IReadOnlyList<string> choices, string current) =>
        current.Length == 0 || choices.Contains(current) ? choices : [.. choices, current];

    private Task ApplyAsync() => OnApply.InvokeAsync(AlarmBoardQuery.Parse(_state, _environment, _service, _severity, _text));

    private Task ClearAsync() => OnApply.InvokeAsync(new AlarmBoardQuery());
}
