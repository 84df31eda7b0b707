using Portal.Core.Alarms;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// Decides which alarms to announce in the browser: those that entered ALARM after the page loaded and are not
/// snoozed. An ALARM episode is the alarm's name and when it entered the state, so an alarm that fires again after
/// returning to OK is announced again, while one that was snoozed when it fired is not announced when the snooze ends.
/// The first look only learns what is already firing.
/// </summary>
public sealed class AlarmAnnouncer
{
    private HashSet<(string Name, DateTimeOffset Since)>? _seen;

    /// <summary>The alarms to announce now, given every alarm the user may see; remembers the ALARM episodes seen.</summary>
    public IReadOnlyList<AlarmView> Update(IReadOnlyList<AlarmView> visible)
    {
        var firing = visible.Where(v => v.State == AlarmState.Alarm).ToList();
        var current = firing.Select(v => (v.Name, v.Alarm.StateChangedAt)).ToHashSet();
        var announce = _seen is null ? [] : firing.Where(v => !v.IsSnoozed && !_seen.Contains((v.Name, v.Alarm.StateChangedAt))).ToList();

        // Only what fires now is kept: an episode that ended never comes back with the same start.
        _seen = current;
        return announce;
    }

    /// <summary>The sentence a notification and a screen reader get: "ALARM: dev/cart/5xx-rate — Threshold Crossed: …".</summary>
    public static string Sentence(AlarmView view) =>
        string.IsNullOrWhiteSpace(view.Alarm.StateReason) ? $"ALARM: {view.Name}" : $"ALARM: {view.Name} — {view.Alarm.StateReason}";
}
