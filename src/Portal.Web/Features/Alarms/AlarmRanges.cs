namespace Portal.Web.Features.Alarms;

/// <summary>The alarm page's graph ranges, as the URL's <c>range</c> carries them; anything else reads as the default.</summary>
public static class AlarmRanges
{
    public const string Default = "3h";

    public static IReadOnlyList<(string Key, TimeSpan Span)> Choices { get; } =
    [
        ("1h", TimeSpan.FromHours(1)),
        ("3h", TimeSpan.FromHours(3)),
        ("12h", TimeSpan.FromHours(12)),
        ("24h", TimeSpan.FromHours(24)),
    ];

    public static (string Key, TimeSpan Span) Parse(string? key)
    {
        var wanted = key?.Trim().ToLowerInvariant();
        return Choices.FirstOrDefault(c => c.Key == wanted, Choices.First(c => c.Key == Default));
    }
}
