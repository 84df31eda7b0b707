using System.Globalization;
using Portal.Core.Costs;

namespace Portal.Web.Features.Costs;

/// <summary>
/// A range of whole UTC days as URLs carry it (<c>from=2026-11-01&amp;to=2026-11-22</c>, both days included), read the
/// same way by the API and the pages. Left out, it is this month so far; a bad one is named in the errors.
/// </summary>
public sealed record CostRange(DateOnly From, DateOnly To)
{
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>The longest range a breakdown is computed over.</summary>
    public const int MaxDays = 400;

    /// <summary>The longest range whose records are listed one by one (an explanation).</summary>
    public const int MaxExplainDays = CostService.MaxExplainDays;

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>This month from its first day to today.</summary>
    public static CostRange ThisMonth(DateTimeOffset now)
    {
        var today = Today(now);
        return new CostRange(new DateOnly(today.Year, today.Month, 1), today);
    }

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>
    /// The range from its query values: a missing <c>from</c> is the first of <c>to</c>'s month (or of this month), a
    /// missing <c>to</c> is today (or <c>from</c>, when that is later). Null, with the errors naming the parameter, when
    /// a date does not parse, <c>to</c> is before <c>from</c>, or the range spans more than <paramref name="maxDays"/> days.
    /// </summary>
    public static CostRange? Parse(string? from, string? to, DateTimeOffset now, IDictionary<string, string[]> errors, int maxDays = MaxDays)
    {
        var parsedFrom = Date(from, "from", errors);
        var parsedTo = Date(to, "to", errors);
        if (errors.ContainsKey("from") || errors.ContainsKey("to"))
        {
            return null;
        }

        var today = Today(now);
        var end = parsedTo ?? (parsedFrom is { } f && f > today ? f : today);
        var start = parsedFrom ?? new DateOnly(end.Year, end.Month, 1);
        if (end < start)
        {
            errors["to"] = [$"must not be before from ({start.ToString(DateFormat, CultureInfo.InvariantCulture)})"];
            return null;
        }

        var range = new CostRange(start, end);
        if (range.Days > maxDays)
        {
            errors["to"] = [$"the range may span at most {maxDays} days (got {range.Days})"];
            return null;
        }

        return range;
    }

    /// <summary>The range as instants: from the first day's midnight to the midnight after the last (UTC).</summary>
    public (DateTimeOffset From, DateTimeOffset To) Instants() =>
        (new DateTimeOffset(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), new DateTimeOffset(To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

    /// <summary>The range as URL query values.</summary>
    public IReadOnlyDictionary<string, object?> ToUrlQuery() => new Dictionary<string, object?>
    {
        ["from"] = Format(From),
        ["to"] = Format(To),
    };

    public static string Format(DateOnly day) => day.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static DateOnly? Date(string? value, string field, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors[field] = [$"'{value}' is not a date (use YYYY-MM-DD, e.g. 2026-11-01)"];
        return null;
    }
}
