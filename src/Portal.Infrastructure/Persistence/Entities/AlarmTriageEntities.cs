namespace Portal.Infrastructure.Persistence.Entities;

/// <summary>The portal's triage of one alarm; a row exists once someone has done something about it.</summary>
public sealed class AlarmTriageEntity
{
    public required string AlarmName { get; set; }

    public string? AcknowledgedBy { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    /// <summary>When the acknowledged ALARM episode began.</summary>
    public DateTimeOffset? AcknowledgedEpisode { get; set; }

    public string? Assignee { get; set; }

    public DateTimeOffset? SnoozedUntil { get; set; }

    public string? SnoozedBy { get; set; }

    public string? RunbookUrl { get; set; }

    /// <summary>Concurrency token: two people triaging one alarm at once must not undo each other.</summary>
    public int Version { get; set; } = 1;
}

public sealed class AlarmNoteEntity
{
    public Guid Id { get; set; }

    public required string AlarmName { get; set; }

    public required string Author { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Text { get; set; }
}
