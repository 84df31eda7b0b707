using Portal.Core.Alarms;

namespace Portal.Sandbox.Aws.CloudWatch;

/// <summary>The definition of one metric alarm, as <c>PutMetricAlarm</c> takes it.</summary>
internal sealed record MetricAlarmDefinition(string Name, string? Description, AlarmCondition Condition, IReadOnlyDictionary<string, string> Tags);

/// <summary>A workload the sandbox measures: a Deployment's namespace and its <c>app</c> label.</summary>
internal sealed record WorkloadService(string Namespace, string Service);

/// <summary>
/// The alarms a platform team puts on every service, named <c>&lt;namespace&gt;/&lt;service&gt;/&lt;what&gt;</c> and
/// tagged with a severity: pods unavailable for 3 periods (high), more than 15 % of requests failing in 2 of 3 periods
/// (critical), CPU above 90 % of requests for 3 periods (warning), any container restart in the last 5 periods
/// (warning). Periods are a minute, or 10 or 30 seconds for high-resolution alarms (which reach ALARM sooner). The error-rate threshold sits above the simulated traffic's noise: a healthy pod answers about
/// 50 requests a minute of which 3.6 % fail, so a 5 % threshold would page for healthy services every few minutes.
/// </summary>
internal static class WorkloadAlarms
{
    /// <summary>Percent of requests answered with a 5xx status.</summary>
    public const double ErrorRateThreshold = 15;

    /// <param name="service">The workload.</param>
    /// <param name="periodSeconds">60, or 10 or 30 (high resolution).</param>
    public static IReadOnlyList<MetricAlarmDefinition> For(WorkloadService service, int periodSeconds = 60)
    {
        var name = $"{service.Namespace}/{service.Service}";
        return
        [
            Alarm(service, periodSeconds, "unavailable-pods", "high", $"Pods of {name} are unavailable (not ready) for {Duration(3 * periodSeconds)}.",
                WorkloadMetrics.UnavailableReplicas, "Maximum", "Count", AlarmComparison.GreaterThanOrEqualToThreshold, 1, 3, 3, MissingDataTreatment.NotBreaching),
            Alarm(service, periodSeconds, "5xx-rate", "critical", $"More than 15 % of the requests to {name} fail with a 5xx status in 2 of 3 periods of {Duration(periodSeconds)}.",
                WorkloadMetrics.Http5xxRate, "Average", "Percent", AlarmComparison.GreaterThanThreshold, ErrorRateThreshold, 3, 2, MissingDataTreatment.NotBreaching),
            Alarm(service, periodSeconds, "cpu-high", "warning", $"The pods of {name} use more than 90 % of their CPU requests for {Duration(3 * periodSeconds)}.",
                WorkloadMetrics.CpuUtilization, "Average", "Percent", AlarmComparison.GreaterThanThreshold, 90, 3, 3, MissingDataTreatment.Missing),
            Alarm(service, periodSeconds, "restarts", "warning", $"A container of {name} restarted in the last {Duration(5 * periodSeconds)}.",
                WorkloadMetrics.RestartCount, "Sum", "Count", AlarmComparison.GreaterThanOrEqualToThreshold, 1, 5, 1, MissingDataTreatment.NotBreaching),
        ];
    }

    /// <summary>The service a workload alarm watches, from its name; null for any other name.</summary>
    public static WorkloadService? ServiceOf(string alarmName)
    {
        var parts = alarmName.Split('/');
        return parts.Length == 3 && parts[0].Length > 0 && parts[1].Length > 0 ? new WorkloadService(parts[0], parts[1]) : null;
    }

    private static string Duration(int seconds) => seconds % 60 == 0 ? (seconds == 60 ? "1 minute" : $"{seconds / 60} minutes") : $"{seconds} seconds";

    private static MetricAlarmDefinition Alarm(WorkloadService service, int period, string what, string severity, string description, string metric, string statistic, string unit,
        AlarmComparison comparison, double threshold, int evaluationPeriods, int datapointsToAlarm, MissingDataTreatment missing) =>
        new($"{service.Namespace}/{service.Service}/{what}", description,
            new AlarmCondition
            {
                Metric = new MetricStat(WorkloadMetrics.Namespace, metric, WorkloadMetrics.Dimensions(service), statistic, period, unit),
                PeriodSeconds = period,
                EvaluationPeriods = evaluationPeriods,
                DatapointsToAlarm = datapointsToAlarm,
                Threshold = threshold,
                Comparison = comparison,
                TreatMissingData = missing,
            },
            new Dictionary<string, string> { ["severity"] = severity });
}
