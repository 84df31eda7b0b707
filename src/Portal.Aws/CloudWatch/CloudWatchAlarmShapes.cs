namespace Portal.Aws.CloudWatch;

// Shapes of monitoring-2010-08-01 (botocore-cloudwatch-2010-08-01-service-2.json), member names as the model spells
// them. Every output member is optional in the model, so every one is nullable here; enum-typed members are the
// model's strings (StateValue "OK" | "ALARM" | "INSUFFICIENT_DATA", AlarmType "MetricAlarm" | "CompositeAlarm", ...).

/// <summary>
/// <c>MetricAlarm</c>. The newest PromQL members (<c>EvaluationWindow</c>, <c>EvaluationCriteria</c>,
/// <c>EvaluationInterval</c>) are not read: Portal shows metric and metric-math alarms.
/// </summary>
public sealed record MetricAlarm : IAlarmShape
{
    public string? AlarmName { get; init; }

    public string? AlarmArn { get; init; }

    public string? AlarmDescription { get; init; }

    public DateTimeOffset? AlarmConfigurationUpdatedTimestamp { get; init; }

    public bool? ActionsEnabled { get; init; }

    public IReadOnlyList<string>? OKActions { get; init; }

    public IReadOnlyList<string>? AlarmActions { get; init; }

    public IReadOnlyList<string>? InsufficientDataActions { get; init; }

    public string? StateValue { get; init; }

    public string? StateReason { get; init; }

    /// <summary>A JSON document in a string.</summary>
    public string? StateReasonData { get; init; }

    public DateTimeOffset? StateUpdatedTimestamp { get; init; }

    public string? MetricName { get; init; }

    public string? Namespace { get; init; }

    public string? Statistic { get; init; }

    public string? ExtendedStatistic { get; init; }

    public IReadOnlyList<Dimension>? Dimensions { get; init; }

    public int? Period { get; init; }

    public string? Unit { get; init; }

    public int? EvaluationPeriods { get; init; }

    public int? DatapointsToAlarm { get; init; }

    public double? Threshold { get; init; }

    public string? ComparisonOperator { get; init; }

    public string? TreatMissingData { get; init; }

    public string? EvaluateLowSampleCountPercentile { get; init; }

    /// <summary>A metric-math alarm's queries; the one with <c>ReturnData</c> true is compared.</summary>
    public IReadOnlyList<MetricDataQuery>? Metrics { get; init; }

    /// <summary>An anomaly-detection alarm's band (the id of an <c>ANOMALY_DETECTION_BAND</c> expression).</summary>
    public string? ThresholdMetricId { get; init; }

    public string? EvaluationState { get; init; }

    public DateTimeOffset? StateTransitionedTimestamp { get; init; }
}

public sealed record CompositeAlarm : IAlarmShape
{
    public bool? ActionsEnabled { get; init; }

    public IReadOnlyList<string>? AlarmActions { get; init; }

    public string? AlarmArn { get; init; }

    public DateTimeOffset? AlarmConfigurationUpdatedTimestamp { get; init; }

    public string? AlarmDescription { get; init; }

    public string? AlarmName { get; init; }

    public string? AlarmRule { get; init; }

    public IReadOnlyList<string>? InsufficientDataActions { get; init; }

    public IReadOnlyList<string>? OKActions { get; init; }

    public string? StateReason { get; init; }

    public string? StateReasonData { get; init; }

    public DateTimeOffset? StateUpdatedTimestamp { get; init; }

    public string? StateValue { get; init; }

    public DateTimeOffset? StateTransitionedTimestamp { get; init; }

    public string? ActionsSuppressedBy { get; init; }

    public string? ActionsSuppressedReason { get; init; }

    public string? ActionsSuppressor { get; init; }

    public int? ActionsSuppressorWaitPeriod { get; init; }

    public int? ActionsSuppressorExtensionPeriod { get; init; }
}

/// <summary>What <see cref="MetricAlarm"/> and <see cref="CompositeAlarm"/> have in common.</summary>
public interface IAlarmShape
{
    string? AlarmName { get; }

    string? AlarmArn { get; }

    string? AlarmDescription { get; }

    DateTimeOffset? AlarmConfigurationUpdatedTimestamp { get; }

    bool? ActionsEnabled { get; }

    string? StateValue { get; }

    string? StateReason { get; }

    DateTimeOffset? StateUpdatedTimestamp { get; }

    DateTimeOffset? StateTransitionedTimestamp { get; }
}

public sealed record DescribeAlarmsRequest
{
    public IReadOnlyList<string>? AlarmNames { get; init; }

    public string? AlarmNamePrefix { get; init; }

    /// <summary>Omitted, CloudWatch returns metric alarms only.</summary>
    public IReadOnlyList<string>? AlarmTypes { get; init; }

    public string? ChildrenOfAlarmName { get; init; }

    public string? ParentsOfAlarmName { get; init; }

    public string? StateValue { get; init; }

    public string? ActionPrefix { get; init; }

    /// <summary>1 to 100; CloudWatch's default is 50.</summary>
    public int? MaxRecords { get; init; }

    public string? NextToken { get; init; }
}

public sealed record DescribeAlarmsResponse
{
    public IReadOnlyList<CompositeAlarm>? CompositeAlarms { get; init; }

    public IReadOnlyList<MetricAlarm>? MetricAlarms { get; init; }

    public string? NextToken { get; init; }
}

public sealed record DescribeAlarmHistoryRequest
{
    public string? AlarmName { get; init; }

    public IReadOnlyList<string>? AlarmTypes { get; init; }

    /// <summary><c>ConfigurationUpdate</c>, <c>StateUpdate</c> or <c>Action</c> (or the contributor kinds).</summary>
    public string? HistoryItemType { get; init; }

    public DateTimeOffset? StartDate { get; init; }

    public DateTimeOffset? EndDate { get; init; }

    public int? MaxRecords { get; init; }

    public string? NextToken { get; init; }

    /// <summary><c>TimestampDescending</c> (the default) or <c>TimestampAscending</c>.</summary>
    public string? ScanBy { get; init; }
}

public sealed record AlarmHistoryItem
{
    public string? AlarmName { get; init; }

    public string? AlarmType { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public string? HistoryItemType { get; init; }

    public string? HistorySummary { get; init; }

    /// <summary>A JSON document in a string: for a state update, <c>oldState</c> and <c>newState</c> with their <c>stateValue</c>.</summary>
    public string? HistoryData { get; init; }
}

public sealed record DescribeAlarmHistoryResponse
{
    public IReadOnlyList<AlarmHistoryItem>? AlarmHistoryItems { get; init; }

    public string? NextToken { get; init; }
}

public sealed record ListTagsForResourceRequest(string ResourceARN);

public sealed record Tag(string Key, string Value);

public sealed record ListTagsForResourceResponse
{
    public IReadOnlyList<Tag>? Tags { get; init; }
}

/// <summary>The model's <c>AlarmType</c> and <c>ScanBy</c> values used by Portal.</summary>
public static class CloudWatchValues
{
    public const string MetricAlarm = "MetricAlarm";
    public const string CompositeAlarm = "CompositeAlarm";
    public const string TimestampAscending = "TimestampAscending";
    public const string TimestampDescending = "TimestampDescending";
}
