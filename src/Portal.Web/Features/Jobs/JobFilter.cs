using System.Globalization;
using Portal.Core.Jobs;

namespace Portal.Web.Features.Jobs;

/// <summary>
/// The jobs list's filters as they travel in a URL, read the same way by the API and the page: environment, kind,
/// state (any case), requester, and a time range on creation (ISO 8601, UTC unless an offset is given).
/// </summary>
public sealed class JobFilter
{
    public string? Environment { get; set; }

    public string? Kind { get; set; }

    public JobState? State { get; set; }

    public string? RequestedBy { get; set; }

    /// <summary>UTC, as the page's date pickers edit it.</summary>
    public DateTime? From { get; set; }

    /// <summary>UTC, exclusive.</summary>
    public DateTime? To { get; set; }

    /// <summary>Reads the URL's values; a value that does not parse is named in <paramref name="errors"/> (when given) and ignored.</summary>
    public static JobFilter Parse(string? environment, string? kind, string? state, string? user, string? from, string? to, IDictionary<string, string[]>? errors = null) => new()
    {
        Environment = Blank(environment),
        Kind = Blank(kind),
        State = ParseState(Blank(state), errors),
        RequestedBy = Blank(user),
        From = ParseTime(Blank(from), "from", errors),
        To = ParseTime(Blank(to), "to", errors),
    };

    public JobQuery ToQuery(int skip, int take) => new()
    {
        Environment = Environment,
        Kind = Kind,
        State = State,
        RequestedBy = RequestedBy,
        From = From is { } f ? new DateTimeOffset(DateTime.SpecifyKind(f, DateTimeKind.Utc)) : null,
        To = To is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null,
        Skip = skip,
        Take = take,
    };

    /// <summary>The URL query that <see cref="Parse"/> reads back; empty filters are left out.</summary>
    public IReadOnlyDictionary<string, object?> ToUrlQuery() => new Dictionary<string, object?>
    {
        ["environment"] = Blank(Environment),
        ["kind"] = Blank(Kind),
        ["state"] = State?.ToString().ToLowerInvariant(),
        ["user"] = Blank(RequestedBy),
        ["from"] = Format(From),
        ["to"] = Format(To),
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Format(DateTime? time) => time?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JobState? ParseState(string? value, IDictionary<string, string[]>? errors)
    {
        if (value is null)
        {
            return null;
        }

        if (Enum.TryParse<JobState>(value, ignoreCase: true, out var state) && Enum.IsDefined(state) && !int.TryParse(value, out _))
        {
            return state;
        }

        errors?.Add("state", [$"'{value}' is not a job state; use {string.Join(", ", Enum.GetNames<JobState>())}"]);
        return null;
    }

    private static DateTime? ParseTime(string? value, string field, IDictionary<string, string[]>? errors)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time.UtcDateTime;
        }

        errors?.Add(field, [$"'{value}' is not a date and time (use ISO 8601, e.g. 2026-11-22T08:00:00Z)"]);
        return null;
    }
}
