using Portal.Core.Alarms;

namespace Portal.Sandbox.Aws.CloudWatch;

/// <summary>One period of an alarm's evaluation range: when it starts and its statistic, or no value when no datapoint came.</summary>
internal readonly record struct PeriodValue(DateTimeOffset Start, double? Value, double SampleCount = 0)
{
    public static PeriodValue Missing(DateTimeOffset start) => new(start, null);
}

/// <summary>What one evaluation decided: the state and CloudWatch's <c>StateReason</c> and <c>StateReasonData</c> for it.</summary>
internal sealed record AlarmOutcome(AlarmState State, string Reason, string ReasonData);

/// <summary>
/// CloudWatch's alarm evaluation, pure: given the periods of the evaluation range it decides OK, ALARM or
/// INSUFFICIENT_DATA, or keeps the state, as "Configuring how CloudWatch alarms treat missing data" describes.
/// <list type="bullet">
/// <item>The evaluation range is <see cref="EvaluationRange"/> periods: CloudWatch fetches more datapoints than the
/// evaluation periods (N) in case some are missing. Its documented examples use 5 for N = 3; the sandbox always uses N + 2.</item>
/// <item>With at least N real datapoints in the range, the N most recent decide: ALARM when at least M (datapoints to
/// alarm) breach, otherwise OK; how missing data is treated does not matter.</item>
/// <item>With fewer, the missing ones are filled, as few as possible (N minus the real ones), per the treatment:
/// <c>breaching</c> fills count as breaching, <c>notBreaching</c> ones as not; with no real datapoint at all,
/// <c>missing</c> gives INSUFFICIENT_DATA and <c>ignore</c> keeps the state.</item>
/// <item>"Avoiding premature transitions to alarm state": with <c>missing</c> or <c>ignore</c>, when every real
/// datapoint breaches and the oldest is at least M periods old, <c>missing</c> goes to ALARM although fewer than M
/// datapoints exist, and <c>ignore</c> keeps the state (rows "- - X - -" of both tables; "0 - X - -" stays OK).</item>
/// </list>
/// Band comparisons (anomaly detection) need a band this sandbox does not compute, so alarms with them are refused by
/// <see cref="Validate"/>.
/// </summary>
internal static class AlarmEvaluator
{
    /// <summary>How many periods an evaluation looks at: N + 2 (the documentation's examples: 5 for 3).</summary>
    public static int EvaluationRange(int evaluationPeriods) => evaluationPeriods + 2;

    /// <summary>Refuses what CloudWatch refuses, and what the sandbox cannot evaluate; the message says which.</summary>
    public static void Validate(AlarmCondition condition)
    {
        if (condition.Comparison is AlarmComparison.LessThanLowerOrGreaterThanUpperThreshold or AlarmComparison.LessThanLowerThreshold or AlarmComparison.GreaterThanUpperThreshold
            || condition.ThresholdMetricId is not null)
        {
            throw new ArgumentException($"The sandbox's CloudWatch does not evaluate anomaly detection bands ({condition.Comparison}): use a static threshold.");
        }

        if (condition.Metric is null || condition.Queries.Count > 0)
        {
            throw new ArgumentException("The sandbox's CloudWatch evaluates single-metric alarms only (no metric math).");
        }

        if (condition.Threshold is null)
        {
            throw new ArgumentException("A static threshold alarm needs a Threshold.");
        }

        if (!StatisticSet.Statistics.Contains(condition.Metric.Statistic))
        {
            throw new ArgumentException($"The statistic '{condition.Metric.Statistic}' is not one of {string.Join(", ", StatisticSet.Statistics)}.");
        }

        if (!IsAlarmPeriod(condition.PeriodSeconds) || condition.PeriodSeconds != condition.Metric.PeriodSeconds)
        {
            throw new ArgumentException("The period must be 10 or 30 seconds (a high-resolution alarm) or a multiple of 60, the same for the alarm and its metric.");
        }

        if (condition.EvaluationPeriods < 1 || condition.DatapointsToAlarm < 1 || condition.DatapointsToAlarm > condition.EvaluationPeriods)
        {
            throw new ArgumentException("DatapointsToAlarm must be between 1 and EvaluationPeriods.");
        }

        if ((long)condition.EvaluationPeriods * condition.PeriodSeconds > 86_400)
        {
            throw new ArgumentException("The number of evaluation periods multiplied by the period can't exceed one day.");
        }
    }

    /// <summary>CloudWatch's alarm periods: 10 or 30 seconds (high resolution), or any multiple of 60.</summary>
    public static bool IsAlarmPeriod(int seconds) => seconds is 10 or 30 || (seconds >= 60 && seconds % 60 == 0);

    public static bool Breaches(AlarmComparison comparison, double value, double threshold) => comparison switch
    {
        AlarmComparison.GreaterThanOrEqualToThreshold => value >= threshold,
        AlarmComparison.GreaterThanThreshold => value > threshold,
        AlarmComparison.LessThanThreshold => value < threshold,
        AlarmComparison.LessThanOrEqualToThreshold => value <= threshold,
        _ => throw new ArgumentOutOfRangeException(nameof(comparison), comparison, "band comparisons are not evaluated by the sandbox"),
    };

    /// <summary>
    /// Evaluates <paramref name="range"/> (the <see cref="EvaluationRange"/> most recent complete periods, oldest first)
    /// for an alarm now in <paramref name="current"/>. Null: the state is kept (<c>ignore</c>).
    /// </summary>
    public static AlarmOutcome? Evaluate(AlarmCondition condition, IReadOnlyList<PeriodValue> range, AlarmState current, DateTimeOffset queryDate)
    {
        var n = condition.EvaluationPeriods;
        var m = condition.DatapointsToAlarm;
        var threshold = condition.Threshold ?? throw new ArgumentException("no threshold", nameof(condition));

        // Newest first, each with its age in periods (0: the most recent period of the range).
        var real = range.Select((p, i) => (Period: p, Age: range.Count - 1 - i)).Where(p => p.Period.Value is not null).Reverse()
            .Select(p => new Point(p.Period, p.Age, Breaches(condition.Comparison, p.Period.Value!.Value, threshold))).ToList();

        if (real.Count >= n)
        {
            var evaluated = real.Take(n).ToList();
            return Decide(condition, range, current, queryDate, evaluated, filled: 0, evaluated.Count(p => p.Breaching) >= m);
        }

        var fill = n - real.Count;
        var breaching = real.Count(p => p.Breaching);
        switch (condition.TreatMissingData)
        {
            case MissingDataTreatment.Missing when real.Count == 0:
                return new AlarmOutcome(AlarmState.InsufficientData, $"Insufficient Data: {Count(n, "datapoint")} {(n == 1 ? "was" : "were")} unknown.",
                    AlarmReasons.Data(condition, range, queryDate, [], [.. Newest(range, fill)]));
            case MissingDataTreatment.Ignore when real.Count == 0:
                return null;
            case MissingDataTreatment.Breaching:
                return Decide(condition, range, current, queryDate, real, fill, breaching + fill >= m);
            case MissingDataTreatment.NotBreaching:
                return Decide(condition, range, current, queryDate, real, fill, breaching >= m);
            default:
                if (breaching < m && IsPremature(real, m))
                {
                    return condition.TreatMissingData == MissingDataTreatment.Ignore ? null : Decide(condition, range, current, queryDate, real, filled: 0, alarm: true);
                }

                return Decide(condition, range, current, queryDate, real, filled: 0, breaching >= m);
        }
    }

    /// <summary>Every real datapoint breaches and the oldest of them is at least M periods old.</summary>
    private static bool IsPremature(List<Point> real, int m) => real.Count > 0 && real.All(p => p.Breaching) && real[^1].Age + 1 >= m;

    private static AlarmOutcome Decide(AlarmCondition condition, IReadOnlyList<PeriodValue> range, AlarmState current, DateTimeOffset queryDate, List<Point> evaluated, int filled, bool alarm)
    {
        var state = alarm ? AlarmState.Alarm : AlarmState.Ok;
        var missing = Newest(range.Where(p => p.Value is null).ToList(), filled).ToList();
        var reason = AlarmReasons.Text(condition, current, state, [.. evaluated.Select(p => (p.Period, p.Breaching))], missing.Count);
        return new AlarmOutcome(state, reason, AlarmReasons.Data(condition, range, queryDate, [.. evaluated.Select(p => p.Period)], missing));
    }

    /// <summary>The newest <paramref name="count"/> of <paramref name="periods"/>: the missing ones CloudWatch fills.</summary>
    private static IEnumerable<PeriodValue> Newest(IReadOnlyList<PeriodValue> periods, int count) => periods.Skip(Math.Max(0, periods.Count - count));

    internal static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    private sealed record Point(PeriodValue Period, int Age, bool Breaching);
}
