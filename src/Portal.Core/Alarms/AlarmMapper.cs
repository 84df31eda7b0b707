using System.Text.RegularExpressions;
using Portal.Core.Environments;

namespace Portal.Core.Alarms;

/// <summary>Where an alarm belongs and how urgent it is, as the portal reads it.</summary>
public sealed record AlarmPlacement(string? Environment, string? Service, AlarmSeverity Severity);

/// <summary>
/// Places an alarm in an environment and a service by configuration (<see cref="AlarmMappingOptions"/>): its tags
/// first, then its metric's dimensions, then a pattern over its name. A value may name the environment or its
/// Kubernetes namespace; one that names neither leaves the alarm without an environment.
/// </summary>
public sealed class AlarmMapper
{
    private readonly AlarmMappingOptions _options;
    private readonly Regex? _namePattern;
    private readonly Regex? _severityPattern;

    public AlarmMapper(AlarmMappingOptions options)
    {
        _options = options;
        _namePattern = string.IsNullOrWhiteSpace(options.NamePattern) ? null : new Regex(options.NamePattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        _severityPattern = string.IsNullOrWhiteSpace(options.SeverityPattern) ? null : new Regex(options.SeverityPattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }

    public AlarmPlacement Place(Alarm alarm, IReadOnlyCollection<PortalEnvironment> environments)
    {
        var dimensions = Dimensions(alarm);
        var nameMatch = _namePattern?.Match(alarm.Name);
        string? FromName(string group) => nameMatch is { Success: true } m && m.Groups[group] is { Success: true } g ? g.Value : null;

        var environment = Resolve(Tag(alarm, _options.EnvironmentTag), environments)
            ?? _options.EnvironmentDimensions.Select(d => Resolve(dimensions.GetValueOrDefault(d), environments)).FirstOrDefault(e => e is not null)
            ?? Resolve(FromName("environment"), environments);
        var service = Tag(alarm, _options.ServiceTag)
            ?? _options.ServiceDimensions.Select(d => dimensions.GetValueOrDefault(d)).FirstOrDefault(v => !string.IsNullOrEmpty(v))
            ?? FromName("service");
        return new AlarmPlacement(environment, string.IsNullOrEmpty(service) ? null : service, Severity(alarm));
    }

    private AlarmSeverity Severity(Alarm alarm)
    {
        var named = Tag(alarm, _options.SeverityTag)
            ?? (_severityPattern?.Match(alarm.Name) is { Success: true } m && m.Groups["severity"] is { Success: true } g ? g.Value : null);
        return named switch
        {
            _ when named is null => _options.DefaultSeverity,
            _ when named.Equals("critical", StringComparison.OrdinalIgnoreCase) || named.Equals("sev1", StringComparison.OrdinalIgnoreCase) || named.Equals("p1", StringComparison.OrdinalIgnoreCase) => AlarmSeverity.Critical,
            _ when named.Equals("high", StringComparison.OrdinalIgnoreCase) || named.Equals("sev2", StringComparison.OrdinalIgnoreCase) || named.Equals("p2", StringComparison.OrdinalIgnoreCase) => AlarmSeverity.High,
            _ when named.Equals("warning", StringComparison.OrdinalIgnoreCase) || named.Equals("sev3", StringComparison.OrdinalIgnoreCase) || named.Equals("p3", StringComparison.OrdinalIgnoreCase) => AlarmSeverity.Warning,
            _ when named.Equals("info", StringComparison.OrdinalIgnoreCase) || named.Equals("low", StringComparison.OrdinalIgnoreCase) || named.Equals("p4", StringComparison.OrdinalIgnoreCase) => AlarmSeverity.Info,
            _ => _options.DefaultSeverity,
        };
    }

    private static string? Tag(Alarm alarm, string key) =>
        !string.IsNullOrEmpty(key) && alarm.Tags.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The dimensions of the metric the alarm compares (for metric math: of every metric it reads).</summary>
    private static Dictionary<string, string> Dimensions(Alarm alarm)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var metrics = alarm.Condition is { } c ? (c.Metric is { } m ? [m] : c.Queries.Select(q => q.Metric).OfType<MetricStat>()) : [];
        foreach (var d in metrics.SelectMany(m => m.Dimensions))
        {
            result.TryAdd(d.Name, d.Value);
        }

        return result;
    }

    private static string? Resolve(string? value, IReadOnlyCollection<PortalEnvironment> environments) =>
        string.IsNullOrWhiteSpace(value)
            ? null
            : (environments.FirstOrDefault(e => e.Name.Equals(value, StringComparison.OrdinalIgnoreCase))
               ?? environments.FirstOrDefault(e => e.Namespace.Equals(value, StringComparison.OrdinalIgnoreCase)))?.Name;
}
