namespace Portal.Aws.CloudWatch;

// Metric shapes of monitoring-2010-08-01 (botocore-cloudwatch-2010-08-01-service-2.json), member names as the model
// spells them: what a metric is, metric-math queries, and GetMetricData.

public sealed record Dimension(string Name, string Value);

public sealed record Metric
{
    public string? Namespace { get; init; }

    public string? MetricName { get; init; }

    public IReadOnlyList<Dimension>? Dimensions { get; init; }
}

public sealed record MetricStat
{
    public required Metric Metric { get; init; }

    public required int Period { get; init; }

    /// <summary>A statistic (<c>Average</c>) or an extended one (<c>p99</c>, <c>TM(10%:90%)</c>).</summary>
    public required string Stat { get; init; }

    public string? Unit { get; init; }
}

/// <summary>A metric or a metric-math expression, in <c>GetMetricData</c> and in a metric-math alarm's <c>Metrics</c>.</summary>
public sealed record MetricDataQuery
{
    public required string Id { get; init; }

    public MetricStat? MetricStat { get; init; }

    public string? Expression { get; init; }

    public string? Label { get; init; }

    /// <summary>Absent means true in <c>GetMetricData</c>.</summary>
    public bool? ReturnData { get; init; }

    public int? Period { get; init; }

    public string? AccountId { get; init; }
}

public sealed record GetMetricDataRequest
{
    public required IReadOnlyList<MetricDataQuery> MetricDataQueries { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public required DateTimeOffset EndTime { get; init; }

    public string? NextToken { get; init; }

    public string? ScanBy { get; init; }

    public int? MaxDatapoints { get; init; }
}

public sealed record MessageData(string? Code, string? Value);

public sealed record MetricDataResult
{
    public string? Id { get; init; }

    public string? Label { get; init; }

    public IReadOnlyList<DateTimeOffset>? Timestamps { get; init; }

    public IReadOnlyList<double>? Values { get; init; }

    /// <summary><c>Complete</c>, <c>InternalError</c>, <c>PartialData</c> (more pages follow) or <c>Forbidden</c>.</summary>
    public string? StatusCode { get; init; }

    public IReadOnlyList<MessageData>? Messages { get; init; }
}

public sealed record GetMetricDataResponse
{
    public IReadOnlyList<MetricDataResult>? MetricDataResults { get; init; }

    public string? NextToken { get; init; }

    public IReadOnlyList<MessageData>? Messages { get; init; }
}
