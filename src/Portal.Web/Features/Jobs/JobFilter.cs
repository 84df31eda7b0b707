using System.Globalization;
using Portal.Core.Jobs;
using Portal.Web.Api;

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
        State = QueryValues.Enum<JobState>(state, "state", "a job state", errors),
        RequestedBy = Blank(user),
        From = QueryValues.Time(from, "from", errors)?.UtcDateTime,
        To = QueryValues.Time(to, "to", errors)?.UtcDateTime,
    };

    public JobQuery ToQuery(int skip, int take) => new()
    {
        Environment = Environment,
        Kind = Kind,
        State = State,
        RequestedBy = RequestedBy,
        From = QueryValues.AsUtc(From),
        To = QueryValues.AsUtc(To),
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


}
