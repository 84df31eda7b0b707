namespace Portal.Web.Features.Alarms;

/// <summary>The investigate view's lanes, top to bottom: what each kind of timeline entry is called and its CSS hook.</summary>
public static class TimelineLanes
{
    public static IReadOnlyList<(TimelineKind Kind, string Label, string Key)> All { get; } =
    [
        (TimelineKind.AlarmState, "Alarm state", "alarm-state"),
        (TimelineKind.Release, "Releases", "release"),
        (TimelineKind.Job, "Jobs", "job"),
        (TimelineKind.PodEvent, "Pod events", "pod-event"),
        (TimelineKind.Trail, "CloudTrail", "trail"),
        (TimelineKind.ErrorLine, "Error lines", "error-line"),
    ];

    public static string Label(TimelineKind kind) => All.First(l => l.Kind == kind).Label;

    public static string Key(TimelineKind kind) => All.First(l => l.Kind == kind).Key;

    public static int Index(TimelineKind kind) => All.ToList().FindIndex(l => l.Kind == kind);
}
