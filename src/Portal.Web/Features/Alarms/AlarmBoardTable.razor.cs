using Microsoft.AspNetCore.Components;
using Portal.Core.Alarms;

namespace Portal.Web.Features.Alarms;

public sealed partial class AlarmBoardTable
{
    private IReadOnlyList<AlarmGroup> _groups = [];

    /// <summary>In the board's order (most urgent first); grouping keeps it within each group.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<AlarmView> Alarms { get; set; } = [];

    [Parameter]
    public string EmptyText { get; set; } = "No alarms.";

    protected override void OnParametersSet() => _groups = Group(Alarms);

    /// <summary>ALARM, INSUFFICIENT_DATA, OK, then Snoozed (whatever their state); empty groups left out.</summary>
    public static IReadOnlyList<AlarmGroup> Group(IReadOnlyList<AlarmView> alarms)
    {
        (string Key, string Title, Func<AlarmView, bool> Holds)[] groups =
        [
            ("alarm", AlarmFormat.Label(AlarmState.Alarm), v => !v.IsSnoozed && v.State == AlarmState.Alarm),
            ("insufficient-data", AlarmFormat.Label(AlarmState.InsufficientData), v => !v.IsSnoozed && v.State == AlarmState.InsufficientData),
            ("ok", AlarmFormat.Label(AlarmState.Ok), v => !v.IsSnoozed && v.State == AlarmState.Ok),
            ("snoozed", "Snoozed", v => v.IsSnoozed),
        ];
        return [.. groups
            .Select(g => new AlarmGroup(g.Key, g.Title, [.. alarms.Where(g.Holds)]))
            .Where(g => g.Rows.Count > 0)];
    }

    public sealed record AlarmGroup(string Key, string Title, IReadOnlyList<AlarmView> Rows);
}
