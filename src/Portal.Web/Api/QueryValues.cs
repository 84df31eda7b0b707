using System.Globalization;

namespace Portal.Web.Api;

/// <summary>Filters as they travel in a URL query (the API's and the pages' shareable URLs), read one way everywhere.</summary>
internal static class QueryValues
{
    /// <summary>ISO 8601, UTC unless an offset is given; a bad value adds an error naming <paramref name="field"/>.</summary>
    public static DateTimeOffset? Time(string? value, string field, IDictionary<string, string[]>? errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time.ToUniversalTime();
        }

        errors?.Add(field, [$"'{value}' is not a date and time (use ISO 8601, e.g. 2026-11-22T08:00:00Z)"]);
        return null;
    }

    /// <summary>An enum value by name, any case (numbers refused); a bad value adds an error naming <paramref name="field"/>.</summary>
    public static TEnum? Enum<TEnum>(string? value, string field, string what, IDictionary<string, string[]>? errors)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (System.Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) && !int.TryParse(value, out _))
        {
            return parsed;
        }

        errors?.Add(field, [$"'{value}' is not {what}; use {string.Join(", ", System.Enum.GetNames<TEnum>())}"]);
        return null;
    }

    /// <summary>A date picker's value (a UTC wall time without a kind) as an instant.</summary>
    public static DateTimeOffset? AsUtc(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
