using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Core.Logs;

namespace Portal.Web.Features.Logs;

/// <summary>
/// Everything the Discover page shows, as its URL carries it, so a link pasted in chat opens the same view:
/// <c>/logs?q=level:error&amp;from=now-15m&amp;to=now&amp;env=dev&amp;cols=level,log&amp;f=kubernetes.pod_name:checkout-1&amp;f=-level:debug&amp;refresh=10s&amp;live=1</c>.
/// A filter (<c>f</c>, repeated) is <c>field:value</c>, split on the first colon; a leading <c>-</c> negates it.
/// </summary>
public sealed record DiscoverState
{
    public const string DefaultFrom = "now-15m";
    public const string DefaultTo = "now";

    /// <summary>The auto-refresh choices: the URL's <c>refresh</c> value and how often the search runs again.</summary>
    public static IReadOnlyList<(string Key, string Label, TimeSpan Every)> RefreshChoices { get; } =
    [
        ("", "Off", Timeout.InfiniteTimeSpan),
        ("5s", "5 seconds", TimeSpan.FromSeconds(5)),
        ("10s", "10 seconds", TimeSpan.FromSeconds(10)),
        ("30s", "30 seconds", TimeSpan.FromSeconds(30)),
        ("1m", "1 minute", TimeSpan.FromMinutes(1)),
        ("5m", "5 minutes", TimeSpan.FromMinutes(5)),
    ];

    /// <summary>KQL as typed; empty matches everything.</summary>
    public string Query { get; init; } = "";

    /// <summary>As typed: <c>now-15m</c> or an ISO 8601 time.</summary>
    public string From { get; init; } = DefaultFrom;

    public string To { get; init; } = DefaultTo;

    /// <summary>One environment, or null for every environment whose logs the user may read.</summary>
    public string? Environment { get; init; }

    /// <summary>The chosen columns after the time; empty shows the default (the log line).</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    public IReadOnlyList<LogFilter> Filters { get; init; } = [];

    /// <summary>A key of <see cref="RefreshChoices"/>; empty is off.</summary>
    public string Refresh { get; init; } = "";

    /// <summary>Live tail: new lines are polled for and prepended.</summary>
    public bool Live { get; init; }

    /// <summary>How often the search runs again; <see cref="Timeout.InfiniteTimeSpan"/> when off.</summary>
    public TimeSpan RefreshEvery => RefreshChoices.Where(c => c.Key == Refresh).Select(c => c.Every).DefaultIfEmpty(Timeout.InfiniteTimeSpan).First();

    /// <summary>The state a URL's query string (with or without the leading <c>?</c>) describes; unknown keys are ignored.</summary>
    public static DiscoverState Parse(string? queryString)
    {
        var query = QueryHelpers.ParseQuery(queryString);
        string? One(string key) => query.TryGetValue(key, out var values) ? values.LastOrDefault() : null;
        var refresh = One("refresh") ?? "";
        return new DiscoverState
        {
            Query = One("q") ?? "",
            From = One("from") is { Length: > 0 } from ? from : DefaultFrom,
            To = One("to") is { Length: > 0 } to ? to : DefaultTo,
            Environment = One("env") is { Length: > 0 } env ? env : null,
            Columns = [.. (One("cols") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)],
            Filters = [.. (query.TryGetValue("f", out var filters) ? filters.ToArray() : []).Select(ParseFilter).OfType<LogFilter>()],
            Refresh = RefreshChoices.Any(c => c.Key == refresh) ? refresh : "",
            Live = One("live") is "1" or "true",
        };
    }

    /// <summary>A pill as the URL writes it: <c>field:value</c>, or <c>-field:value</c> negated; null without a field.</summary>
    public static LogFilter? ParseFilter(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var negate = text.StartsWith('-');
        var body = negate ? text[1..] : text;
        var colon = body.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : new LogFilter(body[..colon], body[(colon + 1)..], negate);
    }

    public static string FormatFilter(LogFilter filter) => $"{(filter.Negate ? "-" : "")}{filter.Field}:{filter.Value}";

    /// <summary>The query string, without <c>?</c>; every key is written, so the URL says exactly what is shown.</summary>
    public string ToQueryString()
    {
        var text = new StringBuilder();
        void Add(string key, string value)
        {
            text.Append(text.Length == 0 ? "" : "&").Append(key).Append('=').Append(Uri.EscapeDataString(value));
        }

        Add("q", Query);
        Add("from", From);
        Add("to", To);
        Add("env", Environment ?? "");
        if (Columns.Count > 0)
        {
            Add("cols", string.Join(',', Columns));
        }

        foreach (var filter in Filters)
        {
            Add("f", FormatFilter(filter));
        }

        if (Refresh.Length > 0)
        {
            Add("refresh", Refresh);
        }

        if (Live)
        {
            Add("live", "1");
        }

        return text.ToString();
    }

    /// <summary>The page's address for this state, relative to the base path.</summary>
    public string ToRelativeUri() => $"logs?{ToQueryString()}";

    /// <summary>The same search (query, range, environment, filters): only a change to one of these asks the back end again.</summary>
    public bool SameSearch(DiscoverState other) =>
        Query == other.Query && From == other.From && To == other.To && Environment == other.Environment && Filters.SequenceEqual(other.Filters);

    public bool Equals(DiscoverState? other) => other is not null && ToQueryString() == other.ToQueryString();

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToQueryString());

    /// <summary>What the search service is asked; the page size is the first page's.</summary>
    public LogSearchInput ToInput() => new()
    {
        Query = Query,
        From = From,
        To = To,
        Environment = Environment,
        Filters = Filters,
    };

    public SavedSearchState ToSaved() => new()
    {
        Query = Query,
        From = From,
        To = To,
        Environment = Environment,
        Columns = Columns,
        Filters = Filters,
    };

    public static DiscoverState FromSaved(SavedSearchState saved) => new()
    {
        Query = saved.Query ?? "",
        From = saved.From is { Length: > 0 } from ? from : DefaultFrom,
        To = saved.To is { Length: > 0 } to ? to : DefaultTo,
        Environment = saved.Environment is { Length: > 0 } env ? env : null,
        Columns = saved.Columns,
        Filters = saved.Filters,
    };

    /// <summary>With the pill added, replacing one on the same field and value (so "filter out" after "filter for" flips it).</summary>
    public DiscoverState WithFilter(LogFilter filter) =>
        this with { Filters = [.. Filters.Where(f => !(f.Field == filter.Field && f.Value == filter.Value)), filter] };

    public DiscoverState WithColumnToggled(string field) =>
        this with { Columns = Columns.Contains(field, StringComparer.Ordinal) ? [.. Columns.Where(c => c != field)] : [.. Columns, field] };

    /// <summary>An absolute instant as the URL writes it (UTC, milliseconds), which <see cref="LogTimeRange"/> reads back exactly.</summary>
    public static string FormatInstant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
