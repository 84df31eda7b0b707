using Portal.Core.Alarms;

namespace Portal.Sandbox.Aws.CloudWatch;

/// <summary>
/// What CloudWatch keeps of the samples of one period (its <c>StatisticSet</c>): count, sum, minimum and maximum.
/// Sets merge, so minutes add up to any longer period and two publications to one minute aggregate, as in CloudWatch.
/// </summary>
internal readonly record struct StatisticSet(double SampleCount, double Sum, double Minimum, double Maximum)
{
    /// <summary>The statistics the sandbox answers (no percentiles: it keeps sets, not the samples).</summary>
    public static IReadOnlyList<string> Statistics { get; } = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

    public static StatisticSet Of(double value) => new(1, value, value, value);

    public StatisticSet Add(double value) => Merge(Of(value));

    public StatisticSet Merge(StatisticSet other) => SampleCount == 0 ? other : other.SampleCount == 0 ? this
        : new(SampleCount + other.SampleCount, Sum + other.Sum, Math.Min(Minimum, other.Minimum), Math.Max(Maximum, other.Maximum));

    public double Value(string statistic) => statistic switch
    {
        "SampleCount" => SampleCount,
        "Average" => Sum / SampleCount,
        "Sum" => Sum,
        "Minimum" => Minimum,
        "Maximum" => Maximum,
        _ => throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "not a statistic the sandbox keeps"),
    };
}

/// <summary>One metric series: CloudWatch identifies it by namespace, name and the exact set of dimensions.</summary>
internal sealed record MetricId(string Namespace, string MetricName, string Dimensions)
{
    public static MetricId Of(string ns, string name, IEnumerable<MetricDimension> dimensions) =>
        new(ns, name, string.Join('\n', dimensions.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => $"{d.Name}={d.Value}")));

    public static MetricId Of(MetricStat stat) => Of(stat.Namespace, stat.MetricName, stat.Dimensions);
}
