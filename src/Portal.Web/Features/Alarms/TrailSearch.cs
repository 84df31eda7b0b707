using Portal.Core.Alarms;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// The CloudTrail timeline's filters as its URL carries them
/// (<c>environments/prod/trail?user=olly&amp;event=PutMetricAlarm&amp;resource=…&amp;readonly=false&amp;range=7d</c>).
/// </summary>
public sealed record TrailSearch
{
    public const string DefaultRange = "24h";

    public static IReadOnlyList<(string Key, string Label, TimeSpan Span)> Ranges { get; } =
    [
        ("1h", "Last hour", TimeSpan.FromHours(1)),
        ("24h", "Last 24 hours", TimeSpan.FromHours(24)),
        ("7d", "Last 7 days", TimeSpan.FromDays(7)),
    ];

    public string? Username { get; init; }

    public string? EventName { get; init; }

    public string? ResourceName { get; init; }

    public bool? ReadOnly { get; init; }

    public string Range { get; init; } = DefaultRange;

    public TimeSpan Span => Ranges.First(r => r.Key == Range).Span;

    public static TrailSearch Parse(string? user, string? eventName, string? resource, string? readOnly, string? range) => new()
    {
        Username = Blank(user),
        EventName = Blank(eventName),
        ResourceName = Blank(resource),
        ReadOnly = bool.TryParse(readOnly?.Trim(), out var r) ? r : null,
        Range = Ranges.Any(x => x.Key == range?.Trim()) ? range!.Trim() : DefaultRange,
    };

    /// <summary>One page over [<paramref name="to"/> − range, <paramref name="to"/>]; a next page keeps the first page's <paramref name="to"/>.</summary>
    public TrailFilter ToFilter(DateTimeOffset to, int limit, string? nextToken) => new()
    {
        From = to - Span,
        To = to,
        Username = Username,
        EventName = EventName,
        ResourceName = ResourceName,
        ReadOnly = ReadOnly,
        Limit = limit,
        NextToken = nextToken,
    };

    /// <summary>The filter CloudTrail is asked for (the first set one), as the hint names it; null when none is set.</summary>
    public string? SentToCloudTrail => ChangeTrailService.Attributes(ToFilter(DateTimeOffset.UnixEpoch, 1, null)).FirstOrDefault()?.Key switch
    {
        TrailAttributeKey.Username => "user",
        TrailAttributeKey.EventName => "event name",
        TrailAttributeKey.ResourceName => "resource",
        TrailAttributeKey.ReadOnly => "read-only",
        _ => null,
    };

    public IReadOnlyDictionary<string, object?> ToUrlQuery() => new Dictionary<string, object?>
    {
        ["user"] = Username,
        ["event"] = EventName,
        ["resource"] = ResourceName,
        ["readonly"] = ReadOnly is { } r ? (r ? "true" : "false") : null,
        ["range"] = Range == DefaultRange ? null : Range,
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
