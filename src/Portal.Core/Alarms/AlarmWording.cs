using System.Globalization;

namespace Portal.Core.Alarms;

/// <summary>An alarm's condition in plain words: "CPUUtilization above 90 for 3 of 3 periods of 1 minute".</summary>
public static class AlarmWording
{
    public static string Describe(Alarm alarm)
    {
        if (alarm.Kind == AlarmKind.Composite || alarm.Condition is null)
        {
            return $"When {alarm.Rule ?? "its rule"} holds";
        }

        var c = alarm.Condition;
        var what = c.Metric is { } m
            ? $"{StatisticWord(m.Statistic)}{m.MetricName}"
            : c.Queries.FirstOrDefault(q => q.ReturnData) is { } q ? (q.Label ?? q.Expression ?? q.Id) : "the metric";
        var against = c.Threshold is { } t ? Number(t) : $"the band {c.ThresholdMetricId}";
        var comparison = c.Comparison switch
        {
            AlarmComparison.GreaterThanThreshold => $"above {against}",
            AlarmComparison.GreaterThanOrEqualToThreshold => $"at or above {against}",
            AlarmComparison.LessThanThreshold => $"below {against}",
            AlarmComparison.LessThanOrEqualToThreshold => $"at or below {against}",
            AlarmComparison.LessThanLowerOrGreaterThanUpperThreshold => $"outside {against}",
            AlarmComparison.LessThanLowerThreshold => $"below {against}",
            AlarmComparison.GreaterThanUpperThreshold => $"above {against}",
            _ => $"against {against}",
        };
        var missing = c.TreatMissingData switch
        {
            MissingDataTreatment.Breaching => "; missing data counts as breaching",
            MissingDataTreatment.NotBreaching => "; missing data counts as good",
            MissingDataTreatment.Ignore => "; missing data keeps the current state",
            _ => "",
        };
        return $"{what} {comparison} for {c.DatapointsToAlarm} of {c.EvaluationPeriods} periods of {Period(c.PeriodSeconds)}{missing}";
    }

    public static string Period(int seconds) => seconds switch
    {
        < 60 => $"{seconds} seconds",
        60 => "1 minute",
        _ when seconds % 86400 == 0 => seconds == 86400 ? "1 day" : $"{seconds / 86400} days",
        _ when seconds % 3600 == 0 => seconds == 3600 ? "1 hour" : $"{seconds / 3600} hours",
        _ when seconds % 60 == 0 => $"{seconds / 60} minutes",
        _ => $"{seconds} seconds",
    };

    private static string StatisticWord(string statistic) => statistic switch
    {
        "Average" => "",
        "Sum" => "total ",
        "Maximum" => "maximum ",
        "Minimum" => "minimum ",
        "SampleCount" => "sample count of ",
        _ => $"{statistic} ",
    };

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
