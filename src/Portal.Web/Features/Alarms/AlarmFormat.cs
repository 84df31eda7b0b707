using System.Globalization;
using Portal.Core.Alarms;

namespace Portal.Web.Features.Alarms;

/// <summary>How alarms read on the pages: CloudWatch's state names, state and severity colours, ages and times (UTC).</summary>
public static class AlarmFormat
{
    /// <summary>A state as the URL (and the API, <see cref="AlarmDto.Wire"/>) spells it; any case.</summary>
    public static AlarmState? ParseWire(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "ALARM" => AlarmState.Alarm,
        "INSUFFICIENT_DATA" or "INSUFFICIENTDATA" => AlarmState.InsufficientData,
        "OK" => AlarmState.Ok,
        _ => null,
    };

    public static string Label(AlarmState state) => state switch
    {
        AlarmState.Alarm => "ALARM",
        AlarmState.InsufficientData => "INSUFFICIENT DATA",
        _ => "OK",
    };

    public static BadgeStyle StateStyle(AlarmState state) => state switch
    {
        AlarmState.Alarm => BadgeStyle.Danger,
        AlarmState.InsufficientData => BadgeStyle.Warning,
        _ => BadgeStyle.Success,
    };

    public static BadgeStyle SeverityStyle(AlarmSeverity severity) => severity switch
    {
        AlarmSeverity.Critical => BadgeStyle.Danger,
        AlarmSeverity.High => BadgeStyle.Warning,
        AlarmSeverity.Warning => BadgeStyle.Info,
        _ => BadgeStyle.Light,
    };

    public static string Severity(AlarmSeverity severity) => severity.ToString().ToLowerInvariant();

    /// <summary>How long, coarsely: "45 s", "12 min", "3 h 5 min", "2 d 4 h".</summary>
    public static string Age(TimeSpan t) => t switch
    {
        { TotalMinutes: < 1 } => $"{Math.Max(0, (int)t.TotalSeconds)} s",
        { TotalHours: < 1 } => $"{(int)t.TotalMinutes} min",
        { TotalDays: < 1 } => t.Minutes == 0 ? $"{(int)t.TotalHours} h" : $"{(int)t.TotalHours} h {t.Minutes} min",
        _ => t.Hours == 0 ? $"{(int)t.TotalDays} d" : $"{(int)t.TotalDays} d {t.Hours} h",
    };

    /// <summary><c>2026-11-22 14:03:05</c> (UTC; the pages say so in their headings).</summary>
    public static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";

    /// <summary>Shorter, for lists within a day's window: <c>14:03:05</c>.</summary>
    public static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>What a <c>datetime-local</c> input bound to a <see cref="DateTime"/> shows: the UTC wall time, to the minute.</summary>
    public static DateTime LocalInput(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, DateTimeKind.Unspecified);
    }

    /// <summary>A <c>datetime-local</c> input's value (a wall time without a kind) read as UTC.</summary>
    public static DateTimeOffset? FromLocalInput(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    public static string Number(double value) => value.ToString(Math.Abs(value) >= 100 ? "0.#" : "0.###", CultureInfo.InvariantCulture);

    /// <summary>Who has it: "acknowledged by olly · assigned to vic", or empty.</summary>
    public static string Ownership(AlarmView view)
    {
        var parts = new List<string>(2);
        if (view.IsAcknowledged && view.Triage.AcknowledgedBy is { } by)
        {
            parts.Add($"acknowledged by {by}");
        }

        if (view.Triage.Assignee is { } assignee)
        {
            parts.Add($"assigned to {assignee}");
        }

        return string.Join(" · ", parts);
    }
}
