namespace Portal.Core.Alarms;

/// <summary>Section <c>Alarms</c>: how often alarms are read, how they map to environments and services, and severities.</summary>
public sealed class AlarmsOptions
{
    public const string SectionName = "Alarms";

    /// <summary>How often every account's alarms are read (DescribeAlarms, all pages).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How far before an alarm entered ALARM the investigate view starts.</summary>
    public TimeSpan InvestigateLead { get; set; } = TimeSpan.FromMinutes(15);

    public AlarmMappingOptions Mapping { get; set; } = new();

    public SandboxAlarmsOptions Sandbox { get; set; } = new();
}

/// <summary>The embedded sandbox's alarms (used when no AWS account is configured and the sandbox cluster runs).</summary>
public sealed class SandboxAlarmsOptions
{
    /// <summary>
    /// The period of the alarms the sandbox creates: 60 (CloudWatch's standard resolution), or 10 or 30 for
    /// high-resolution alarms, which reach ALARM sooner (the browser tests use 10).
    /// </summary>
    public int PeriodSeconds { get; set; } = 60;
}

/// <summary>
/// How an alarm finds its environment and service, tried in this order: tags, then dimensions, then the name
/// pattern. A dimension or tag value may name the environment or its Kubernetes namespace.
/// </summary>
public sealed class AlarmMappingOptions
{
    public string EnvironmentTag { get; set; } = "portal:environment";

    public string ServiceTag { get; set; } = "portal:service";

    /// <summary>Dimensions whose value is the environment or its namespace (Container Insights' <c>Namespace</c>).</summary>
    public List<string> EnvironmentDimensions { get; set; } = ["Environment", "Namespace"];

    /// <summary>Dimensions whose value is the service (Container Insights' <c>Service</c>, ECS's <c>ServiceName</c>).</summary>
    public List<string> ServiceDimensions { get; set; } = ["Service", "ServiceName", "DeploymentName"];

    /// <summary>
    /// A regular expression over the alarm name with named groups <c>environment</c> and <c>service</c>, for
    /// accounts that encode them in names (<c>^(?&lt;environment&gt;[a-z0-9-]+)/(?&lt;service&gt;[a-z0-9-]+)/</c>). Empty: unused.
    /// </summary>
    public string? NamePattern { get; set; } = "^(?<environment>[a-z0-9-]+)/(?<service>[a-z0-9-]+)/";

    /// <summary>The tag whose value is the severity (critical, high, warning, info).</summary>
    public string SeverityTag { get; set; } = "severity";

    /// <summary>A regular expression with a named group <c>severity</c> over the alarm name, when the tag is absent.</summary>
    public string? SeverityPattern { get; set; } = "(?i)\\b(?<severity>critical|high|warning|info)\\b";

    public AlarmSeverity DefaultSeverity { get; set; } = AlarmSeverity.Warning;
}

/// <summary>Most urgent first: the board sorts by this.</summary>
public enum AlarmSeverity
{
    Critical,
    High,
    Warning,
    Info,
}
