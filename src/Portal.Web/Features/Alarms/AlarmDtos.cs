using Portal.Core.Alarms;

namespace Portal.Web.Features.Alarms;

/// <summary>An alarm on the API, with CloudWatch's state names (OK, ALARM, INSUFFICIENT_DATA).</summary>
public sealed record AlarmDto(
    string Id,
    string Name,
    string Kind,
    string Account,
    string State,
    string StateReason,
    DateTimeOffset StateChangedAt,
    double SecondsInState,
    string? Environment,
    string? Service,
    string Severity,
    string Condition,
    string? Description,
    bool Acknowledged,
    bool Snoozed,
    AlarmTriageDto Triage)
{
    public static AlarmDto Of(AlarmView v) => new(
        Uri.EscapeDataString(v.Name), v.Name, v.Alarm.Kind.ToString(), v.Alarm.Account, Wire(v.State), v.Alarm.StateReason, v.Alarm.StateChangedAt,
        Math.Round(v.TimeInState.TotalSeconds), v.Placement.Environment, v.Placement.Service, v.Placement.Severity.ToString().ToLowerInvariant(),
        AlarmWording.Describe(v.Alarm), v.Alarm.Description, v.IsAcknowledged, v.IsSnoozed, AlarmTriageDto.Of(v.Triage));

    public static string Wire(AlarmState state) => state switch
    {
        AlarmState.Alarm => "ALARM",
        AlarmState.InsufficientData => "INSUFFICIENT_DATA",
        _ => "OK",
    };
}

public sealed record AlarmTriageDto(
    string? AcknowledgedBy, DateTimeOffset? AcknowledgedAt, string? Assignee, DateTimeOffset? SnoozedUntil, string? SnoozedBy, string? RunbookUrl, int Version)
{
    public static AlarmTriageDto Of(AlarmTriage t) => new(t.AcknowledgedBy, t.AcknowledgedAt, t.Assignee, t.SnoozedUntil, t.SnoozedBy, t.RunbookUrl, t.Version);
}

public sealed record AlarmBoardDto(IReadOnlyList<AlarmDto> Alarms, AlarmCounts Counts, DateTimeOffset? ReadAt, IReadOnlyList<string> Problems)
{
    public static AlarmBoardDto Of(AlarmBoard b) => new([.. b.Alarms.Select(AlarmDto.Of)], b.Counts, b.ReadAt, b.Problems);
}

public sealed record AlarmHistoryDto(DateTimeOffset Timestamp, string Kind, string Summary, string? OldState, string? NewState);

public sealed record AlarmDetailDto(
    AlarmDto Alarm,
    double? Threshold,
    IReadOnlyList<AlarmNote> Notes,
    IReadOnlyList<AlarmHistoryDto> History,
    MetricSeries? Metric,
    DateTimeOffset From,
    DateTimeOffset To,
    string? SourceProblem)
{
    public static AlarmDetailDto Of(AlarmDetail d) => new(
        AlarmDto.Of(d.View), d.View.Alarm.Condition?.Threshold, d.Notes,
        [.. d.History.Select(h => new AlarmHistoryDto(h.Timestamp, h.Kind.ToString(), h.Summary,
            h.OldState is { } o ? AlarmDto.Wire(o) : null, h.NewState is { } n ? AlarmDto.Wire(n) : null))],
        d.Metric, d.From, d.To, d.SourceProblem);
}

public sealed record InvestigationDto(
    AlarmDto Alarm,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<InvestigatedPod> Pods,
    IReadOnlyList<TimelineEntryDto> Timeline,
    IReadOnlyList<AlarmDto> Related,
    string LogsLink,
    string ErrorLogsLink,
    IReadOnlyList<string> Problems)
{
    public static InvestigationDto Of(Investigation i) => new(
        AlarmDto.Of(i.Alarm), i.From, i.To, i.Pods,
        [.. i.Timeline.Select(e => new TimelineEntryDto(e.At, e.Kind.ToString(), e.Title, e.Detail, e.Link, e.Warning))],
        [.. i.Related.Select(AlarmDto.Of)], i.LogsLink, i.ErrorLogsLink, i.Problems);
}

public sealed record TimelineEntryDto(DateTimeOffset At, string Kind, string Title, string? Detail, string? Link, bool Warning);
