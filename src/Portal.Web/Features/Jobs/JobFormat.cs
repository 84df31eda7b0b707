using System.Globalization;
using Portal.Core.Jobs;

namespace Portal.Web.Features.Jobs;

/// <summary>How jobs and steps read on the pages: state colours, times and durations.</summary>
internal static class JobFormat
{
    public static BadgeStyle StateStyle(JobState state) => state switch
    {
        JobState.Succeeded => BadgeStyle.Success,
        JobState.Failed => BadgeStyle.Danger,
        JobState.Running => BadgeStyle.Info,
        JobState.Cancelled => BadgeStyle.Warning,
        _ => BadgeStyle.Light,
    };

    public static BadgeStyle StepStyle(StepState state) => state switch
    {
        StepState.Succeeded => BadgeStyle.Success,
        StepState.Failed => BadgeStyle.Danger,
        StepState.Running => BadgeStyle.Info,
        StepState.Retrying => BadgeStyle.Warning,
        _ => BadgeStyle.Light,
    };

    public static ProgressBarStyle ProgressStyle(JobState state) => state switch
    {
        JobState.Succeeded => ProgressBarStyle.Success,
        JobState.Failed => ProgressBarStyle.Danger,
        JobState.Cancelled => ProgressBarStyle.Warning,
        _ => ProgressBarStyle.Primary,
    };

    public static string Steps(PortalJob job) => $"{job.Steps.Count(s => s.IsDone)} of {job.Steps.Count} steps";

    public static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";

    /// <summary>From start to finish, or to now while it runs; empty before it starts.</summary>
    public static string Duration(DateTimeOffset? started, DateTimeOffset? finished, DateTimeOffset now) =>
        started is { } s ? Duration((finished ?? now) - s) : "";

    public static string Duration(TimeSpan t) => t switch
    {
        { TotalSeconds: < 1 } => $"{Math.Max(0, (int)t.TotalMilliseconds)} ms",
        { TotalMinutes: < 1 } => t.TotalSeconds.ToString("0.# s", CultureInfo.InvariantCulture),
        { TotalHours: < 1 } => $"{t.Minutes} min {t.Seconds} s",
        _ => $"{(int)t.TotalHours} h {t.Minutes} min",
    };
}
