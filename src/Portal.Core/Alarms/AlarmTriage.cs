namespace Portal.Core.Alarms;

/// <summary>
/// What on-call people did about an alarm, kept by the portal (CloudWatch has no such thing). An acknowledgement
/// belongs to one ALARM episode, the one that began at <see cref="AcknowledgedEpisode"/>: when the alarm fires again,
/// it is unacknowledged again, as a new PagerDuty incident would be. The assignee, snooze and runbook stay.
/// </summary>
public sealed record AlarmTriage(
    string AlarmName,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? AcknowledgedEpisode,
    string? Assignee,
    DateTimeOffset? SnoozedUntil,
    string? SnoozedBy,
    string? RunbookUrl,
    int Version)
{
    public static AlarmTriage None(string alarmName) => new(alarmName, null, null, null, null, null, null, null, 0);
}

/// <summary>A timestamped note on an alarm.</summary>
public sealed record AlarmNote(Guid Id, string AlarmName, string Author, DateTimeOffset At, string Text);

public interface IAlarmTriageRepository
{
    Task<AlarmTriage?> FindAsync(string alarmName, CancellationToken ct);

    Task<IReadOnlyList<AlarmTriage>> ListAsync(CancellationToken ct);

    /// <summary>Oldest first.</summary>
    Task<IReadOnlyList<AlarmNote>> NotesAsync(string alarmName, CancellationToken ct);

    /// <summary>
    /// Inserts (when <paramref name="expectedVersion"/> is 0) or updates the triage, provided the stored version is
    /// still <paramref name="expectedVersion"/>; the stored version becomes <c>expectedVersion + 1</c>. Otherwise the
    /// commit is a conflict.
    /// </summary>
    void Save(AlarmTriage triage, int expectedVersion);

    void AddNote(AlarmNote note);
}
