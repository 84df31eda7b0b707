using Portal.Core.Alarms;

namespace Portal.Web.Features.Alarms;

public enum TimelineKind
{
    AlarmState,
    Release,
    Job,
    Trail,
    PodEvent,
    ErrorLine,
}

/// <summary>One thing that happened in the window, placed on the shared time axis.</summary>
public sealed record TimelineEntry(DateTimeOffset At, TimelineKind Kind, string Title, string? Detail, string? Link, bool Warning);

/// <summary>A pod of the service in the window: still running, or since deleted (known from its events and its log lines).</summary>
public sealed record InvestigatedPod(string Name, string Status, int? Restarts, bool Deleted, int ErrorLines, string? LastError);

/// <summary>
/// Everything about an alarm's service and environment over one window: its pods, the links to its logs, and one
/// timeline of alarm states, releases, jobs, CloudTrail events, pod events and error lines. A part one may not see,
/// or whose system did not answer, is left empty with the reason in <see cref="Problems"/>.
/// </summary>
public sealed record Investigation(
    AlarmView Alarm,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<InvestigatedPod> Pods,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<AlarmView> Related,
    string LogsLink,
    string ErrorLogsLink,
    IReadOnlyList<string> Problems);
