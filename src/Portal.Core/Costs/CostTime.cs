using System.Globalization;

namespace Portal.Core.Costs;

/// <summary>The calendar of the cost model: hours and months in UTC, and lengths of time in hours as exact decimals for money.</summary>
internal static class CostTime
{
    public static DateTimeOffset HourOf(DateTimeOffset t) =>
        new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    public static DateTimeOffset DayStart(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static DateOnly DayOf(DateTimeOffset t) => DateOnly.FromDateTime(t.UtcDateTime);

    public static DateTimeOffset MonthStart(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>"2026-11": the month's key, as budget notices store it.</summary>
    public static string MonthKey(DateTimeOffset monthStart) =>
        monthStart.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>Hours of the UTC month holding <paramref name="t"/>: 672 to 744.</summary>
    public static int HoursInMonth(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        return DateTime.DaysInMonth(utc.Year, utc.Month) * 24;
    }

    /// <summary>A length in hours as a decimal: 5 minutes is 1/12 to 28 digits, not a double's 15.</summary>
    public static decimal Hours(TimeSpan length) => (decimal)length.Ticks / TimeSpan.TicksPerHour;
}
