using Portal.Core.Alarms;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// The board's filters as its URL carries them (<c>alarms?state=ALARM&amp;environment=prod&amp;service=cart&amp;severity=critical&amp;q=latency</c>),
/// so a filtered board can be shared; states and severities are spelled as the API spells them, in any case. A value
/// that does not parse is dropped rather than failing the page.
/// </summary>
public sealed record AlarmBoardQuery
{
    public AlarmState? State { get; init; }

    public string? Environment { get; init; }

    public string? Service { get; init; }

    public AlarmSeverity? Severity { get; init; }

    public string? Text { get; init; }

    public bool IsEmpty => State is null && Environment is null && Service is null && Severity is null && Text is null;

    public static AlarmBoardQuery Parse(string? state, string? environment, string? service, string? severity, string? text) => new()
    {
        State = AlarmFormat.ParseWire(state),
        Environment = Blank(environment),
        Service = Blank(service),
        Severity = Enum.TryParse<AlarmSeverity>(severity?.Trim(), ignoreCase: true, out var s) && Enum.IsDefined(s) && !int.TryParse(severity, out _) ? s : null,
        Text = Blank(text),
    };

    public AlarmFilter ToFilter() => new()
    {
        State = State,
        Environment = Environment,
        Service = Service,
        Severity = Severity,
        Text = Text,
    };

    /// <summary>The URL query <see cref="Parse"/> reads back; unset filters are left out (null removes them from the URL).</summary>
    public IReadOnlyDictionary<string, object?> ToUrlQuery() => new Dictionary<string, object?>
    {
        ["state"] = State is { } state ? AlarmDto.Wire(state) : null,
        ["environment"] = Environment,
        ["service"] = Service,
        ["severity"] = Severity is { } severity ? AlarmFormat.Severity(severity) : null,
        ["q"] = Text,
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
