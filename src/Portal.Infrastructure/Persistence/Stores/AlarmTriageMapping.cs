using Portal.Core.Alarms;
using Portal.Infrastructure.Persistence.Entities;

namespace Portal.Infrastructure.Persistence.Stores;

/// <summary>
/// Alarm triage and notes to rows and back. Times are stored as UTC: a snooze picked in a browser carries the
/// browser's offset, which SQLite would convert anyway and Npgsql refuses to write to a timestamptz column.
/// </summary>
internal static class AlarmTriageMapping
{
    public static AlarmTriageEntity ToEntity(this AlarmTriage d, int version) => new()
    {
        AlarmName = d.AlarmName,
        AcknowledgedBy = d.AcknowledgedBy,
        AcknowledgedAt = d.AcknowledgedAt?.ToUniversalTime(),
        AcknowledgedEpisode = d.AcknowledgedEpisode?.ToUniversalTime(),
        Assignee = d.Assignee,
        SnoozedUntil = d.SnoozedUntil?.ToUniversalTime(),
        SnoozedBy = d.SnoozedBy,
        RunbookUrl = d.RunbookUrl,
        Version = version,
    };

    public static AlarmTriage ToDomain(this AlarmTriageEntity e) => new(
        e.AlarmName, e.AcknowledgedBy, e.AcknowledgedAt, e.AcknowledgedEpisode, e.Assignee, e.SnoozedUntil, e.SnoozedBy, e.RunbookUrl, e.Version);

    public static AlarmNoteEntity ToEntity(this AlarmNote d) => new()
    {
        Id = d.Id,
        AlarmName = d.AlarmName,
        Author = d.Author,
        At = d.At.ToUniversalTime(),
        Text = d.Text,
    };

    public static AlarmNote ToDomain(this AlarmNoteEntity e) => new(e.Id, e.AlarmName, e.Author, e.At, e.Text);
}
