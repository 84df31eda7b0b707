namespace Portal.Core.Alarms;

/// <summary>CloudWatch's three alarm states (wire values <c>OK</c>, <c>ALARM</c>, <c>INSUFFICIENT_DATA</c>).</summary>
public enum AlarmState
{
    Ok,
    Alarm,
    InsufficientData,
}

public enum AlarmKind
{
    Metric,
    Composite,
}

/// <summary>CloudWatch's <c>ComparisonOperator</c> values, by their wire names.</summary>
public enum AlarmComparison
{
    GreaterThanOrEqualToThreshold,
    GreaterThanThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold,
    LessThanLowerOrGreaterThanUpperThreshold,
    LessThanLowerThreshold,
    GreaterThanUpperThreshold,
}

/// <summary>CloudWatch's <c>TreatMissingData</c>: <c>missing</c> (the default), <c>ignore</c>, <c>breaching</c>, <c>notBreaching</c>.</summary>
public enum MissingDataTreatment
{
    Missing,
    Ignore,
    Breaching,
    NotBreaching,
}

public sealed record MetricDimension(string Name, string Value);

/// <summary>One metric an alarm (or a graph) reads: namespace, name, dimensions, statistic and period.</summary>
public sealed record MetricStat(string Namespace, string MetricName, IReadOnlyList<MetricDimension> Dimensions, string Statistic, int PeriodSeconds, string? Unit = null);

/// <summary>One entry of a metric-math alarm's <c>Metrics</c>: a metric or an expression over others.</summary>
public sealed record AlarmMetricQuery(string Id, MetricStat? Metric, string? Expression, string? Label, bool ReturnData);

/// <summary>
/// What makes a metric alarm fire. A single-metric alarm has <see cref="Metric"/>; a metric-math alarm has
/// <see cref="Queries"/> (the one with <c>ReturnData</c> is what is compared). <see cref="Threshold"/> is null for
/// anomaly-detection alarms, which compare against the band named by <see cref="ThresholdMetricId"/>.
/// </summary>
public sealed record AlarmCondition
{
    public MetricStat? Metric { get; init; }

    public IReadOnlyList<AlarmMetricQuery> Queries { get; init; } = [];

    public required int PeriodSeconds { get; init; }

    public required int EvaluationPeriods { get; init; }

    /// <summary>The M of "M out of N"; CloudWatch defaults it to <see cref="EvaluationPeriods"/>.</summary>
    public required int DatapointsToAlarm { get; init; }

    public double? Threshold { get; init; }

    public string? ThresholdMetricId { get; init; }

    public required AlarmComparison Comparison { get; init; }

    public MissingDataTreatment TreatMissingData { get; init; } = MissingDataTreatment.Missing;
}

/// <summary>
/// An alarm as its source reports it (CloudWatch's <c>MetricAlarm</c> or <c>CompositeAlarm</c>), with its tags. The
/// portal's own view of it (environment, service, severity, triage) is <see cref="AlarmView"/>.
/// </summary>
public sealed record Alarm
{
    /// <summary>The alarm name: unique in an account and region, and the portal's id for it.</summary>
    public required string Name { get; init; }

    public required string Arn { get; init; }

    public required AlarmKind Kind { get; init; }

    /// <summary>The configured account (<c>Aws:Accounts:N:Name</c>) the alarm was read from.</summary>
    public required string Account { get; init; }

    public string? Description { get; init; }

    public required AlarmState State { get; init; }

    public string StateReason { get; init; } = "";

    /// <summary>When the state value last changed (<c>StateTransitionedTimestamp</c>, else <c>StateUpdatedTimestamp</c>).</summary>
    public required DateTimeOffset StateChangedAt { get; init; }

    /// <summary>Null for composite alarms.</summary>
    public AlarmCondition? Condition { get; init; }

    /// <summary>A composite alarm's <c>AlarmRule</c>.</summary>
    public string? Rule { get; init; }

    public bool ActionsEnabled { get; init; } = true;

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

public enum AlarmHistoryKind
{
    StateUpdate,
    ConfigurationUpdate,
    Action,
}

/// <summary>One entry of an alarm's history (<c>AlarmHistoryItem</c>); state updates carry the old and new states.</summary>
public sealed record AlarmHistoryItem(DateTimeOffset Timestamp, AlarmHistoryKind Kind, string Summary, AlarmState? OldState, AlarmState? NewState);

public sealed record MetricPoint(DateTimeOffset Time, double Value);

/// <summary>The values of the metric an alarm compares, one per period, oldest first; missing periods are absent.</summary>
public sealed record MetricSeries(string Label, int PeriodSeconds, IReadOnlyList<MetricPoint> Points);
