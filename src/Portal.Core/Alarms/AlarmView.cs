namespace Portal.Core.Alarms;

/// <summary>An alarm as the portal shows it: where it belongs, how urgent it is, and what on-call did about it.</summary>
public sealed record AlarmView(Alarm Alarm, AlarmPlacement Placement, AlarmTriage Triage, DateTimeOffset Now)
{
    public string Name => Alarm.Name;

    public AlarmState State => Alarm.State;

    /// <summary>Acknowledged in the current episode: the alarm is not OK and was acknowledged since it last changed state.</summary>
    public bool IsAcknowledged => Alarm.State != AlarmState.Ok && Triage.AcknowledgedEpisode == Alarm.StateChangedAt;

    public bool IsSnoozed => Triage.SnoozedUntil is { } until && until > Now;

    public TimeSpan TimeInState => Now - Alarm.StateChangedAt;

    /// <summary>Firing and nobody has it: what the top bar counts and the browser announces.</summary>
    public bool NeedsAttention => Alarm.State == AlarmState.Alarm && !IsSnoozed;
}

/// <summary>The board's filters, each optional; <see cref="Text"/> matches the alarm name, its service and its description.</summary>
public sealed record AlarmFilter
{
    public AlarmState? State { get; init; }

    public string? Environment { get; init; }

    public string? Service { get; init; }

    public AlarmSeverity? Severity { get; init; }

    public string? Text { get; init; }

    /// <summary>Snoozed alarms are listed (after the others) unless this is false.</summary>
    public bool IncludeSnoozed { get; init; } = true;
}

/// <summary>Counts over what one may see: firing (not snoozed), of which unacknowledged, and the other states.</summary>
public sealed record AlarmCounts(int Firing, int Unacknowledged, int InsufficientData, int Ok, int Snoozed);

public sealed record AlarmBoard(IReadOnlyList<AlarmView> Alarms, AlarmCounts Counts, DateTimeOffset? ReadAt, IReadOnlyList<string> Problems);

/// <summary>One alarm's page: the view, its notes, and (read from the source, which may fail) its history and metric.</summary>
public sealed record AlarmDetail(
    AlarmView View,
    IReadOnlyList<AlarmNote> Notes,
    IReadOnlyList<AlarmHistoryItem> History,
    MetricSeries? Metric,
    DateTimeOffset From,
    DateTimeOffset To,
    string? SourceProblem);
