using System.Globalization;

namespace Portal.Web.Features.Logs;

/// <summary>
/// Times as Discover shows them: in the browser's time zone (asked once the circuit is interactive; UTC until then),
/// to the millisecond, since log lines a few milliseconds apart must read in order.
/// </summary>
public static class LogTimeFormat
{
    /// <summary>The browser's IANA zone (<c>Europe/Berlin</c>); UTC when unknown to this server.</summary>
    public static TimeZoneInfo Resolve(string? zoneId)
    {
        if (string.IsNullOrWhiteSpace(zoneId))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    public static string ZoneName(TimeZoneInfo zone) => zone == TimeZoneInfo.Utc ? "UTC" : zone.Id;

    /// <summary><c>2026-11-22 14:03:05.123</c> in <paramref name="zone"/>.</summary>
    public static string Full(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>An axis label: as short as the tick step allows, the date only when the range spans days.</summary>
    public static string Axis(DateTimeOffset at, TimeSpan step, TimeSpan range, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var format = step >= TimeSpan.FromDays(1) ? "MM-dd"
            : range > TimeSpan.FromDays(1) ? "MM-dd HH:mm"
            : step < TimeSpan.FromMinutes(1) ? "HH:mm:ss"
            : "HH:mm";
        return local.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>A bucket's width in words: "per 30 seconds".</summary>
    public static string Interval(TimeSpan interval) => interval switch
    {
        { TotalDays: >= 1 } when interval.TotalDays % 1 == 0 => Plural((int)interval.TotalDays, "day"),
        { TotalHours: >= 1 } when interval.TotalHours % 1 == 0 => Plural((int)interval.TotalHours, "hour"),
        { TotalMinutes: >= 1 } when interval.TotalMinutes % 1 == 0 => Plural((int)interval.TotalMinutes, "minute"),
        { TotalSeconds: >= 1 } when interval.TotalSeconds % 1 == 0 => Plural((int)interval.TotalSeconds, "second"),
        _ => $"{interval.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} milliseconds",
    };

    /// <summary>
    /// A typed absolute time with no offset ("2026-11-22 10:00") meant in the user's zone, as an instant the URL keeps
    /// (UTC). Relative expressions (<c>now-1h</c>), dates without a time (whole UTC days, as Kibana reads them), date
    /// math and times with an offset or <c>Z</c> are returned as typed.
    /// </summary>
    public static string NormalizeTyped(string? text, TimeZoneInfo zone)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.StartsWith("now", StringComparison.OrdinalIgnoreCase) || !trimmed.Contains(':', StringComparison.Ordinal)
            || trimmed.Contains("||", StringComparison.Ordinal)
            || !DateTime.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AllowWhiteSpaces, out var parsed)
            || parsed.Kind != DateTimeKind.Unspecified)
        {
            return trimmed;
        }

        var utc = zone.IsInvalidTime(parsed) ? parsed - zone.BaseUtcOffset : TimeZoneInfo.ConvertTimeToUtc(parsed, zone);
        return DiscoverState.FormatInstant(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));
    }

    private static string Plural(int n, string unit) => n == 1 ? $"per {unit}" : $"per {n.ToString(CultureInfo.InvariantCulture)} {unit}s";
}
