namespace Portal.Web.Features.Environments;

/// <summary>An environment's time left in a few characters: "long-lived", "expired", "42 min", "20 h", "3 d".</summary>
internal static class TimeLeftText
{
    public static string Format(TimeSpan? left) => left switch
    {
        null => "long-lived",
        { TotalMinutes: < 1 } => "expired",
        { TotalHours: < 1 } t => $"{t.Minutes} min",
        { TotalDays: < 2 } t => $"{(int)t.TotalHours} h",
        var t => $"{(int)t.Value.TotalDays} d",
    };
}
