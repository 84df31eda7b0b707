using System.Text.Json;
using Domain = Portal.Core.Alarms;

namespace Portal.Aws.CloudWatch;

/// <summary>CloudWatch's shapes as Core's alarm model, and an alarm's condition back as <c>GetMetricData</c> queries.</summary>
internal static class CloudWatchAlarmMapper
{
    /// <summary>The id of a single-metric alarm's query in <c>GetMetricData</c>.</summary>
    public const string SingleMetricId = "m1";

    public static Domain.Alarm? Map(MetricAlarm alarm, string account, IReadOnlyDictionary<string, string> tags) =>
        Map(alarm, Domain.AlarmKind.Metric, account, tags) is { } mapped ? mapped with { Condition = Condition(alarm) } : null;

    public static Domain.Alarm? Map(CompositeAlarm alarm, string account, IReadOnlyDictionary<string, string> tags) =>
        Map(alarm, Domain.AlarmKind.Composite, account, tags) is { } mapped ? mapped with { Rule = alarm.AlarmRule } : null;

    private static Domain.Alarm? Map(IAlarmShape alarm, Domain.AlarmKind kind, string account, IReadOnlyDictionary<string, string> tags) =>
        alarm.AlarmName is null ? null : new Domain.Alarm
        {
            Name = alarm.AlarmName,
            Arn = alarm.AlarmArn ?? "",
            Kind = kind,
            Account = account,
            Description = alarm.AlarmDescription,
            State = State(alarm.StateValue),
            StateReason = alarm.StateReason ?? "",
            StateChangedAt = alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp ?? alarm.AlarmConfigurationUpdatedTimestamp ?? DateTimeOffset.UnixEpoch,
            ActionsEnabled = alarm.ActionsEnabled ?? true,
            Tags = tags,
        };

    /// <summary>Null when the alarm's comparison is one Core does not know (a newer CloudWatch feature).</summary>
    public static Domain.AlarmCondition? Condition(MetricAlarm alarm)
    {
        if (alarm.ComparisonOperator is not { } op || !Enum.GetNames<Domain.AlarmComparison>().Contains(op, StringComparer.Ordinal))
        {
            return null;
        }

        var comparison = Enum.Parse<Domain.AlarmComparison>(op);

        var queries = (alarm.Metrics ?? []).Select(Query).ToList();
        var metric = alarm.MetricName is null ? null : new Domain.MetricStat(
            alarm.Namespace ?? "",
            alarm.MetricName,
            Dimensions(alarm.Dimensions),
            alarm.Statistic ?? alarm.ExtendedStatistic ?? "Average",
            alarm.Period ?? 60,
            alarm.Unit);
        var evaluationPeriods = alarm.EvaluationPeriods ?? 1;
        return new Domain.AlarmCondition
        {
            Metric = metric,
            Queries = queries,
            PeriodSeconds = alarm.Period ?? Compared(queries, alarm.ThresholdMetricId)?.Metric?.PeriodSeconds ?? queries.Select(q => q.Metric?.PeriodSeconds ?? 0).DefaultIfEmpty(60).Max(),
            EvaluationPeriods = evaluationPeriods,
            DatapointsToAlarm = alarm.DatapointsToAlarm ?? evaluationPeriods,
            Threshold = alarm.Threshold,
            ThresholdMetricId = alarm.ThresholdMetricId,
            Comparison = comparison,
            TreatMissingData = MissingData(alarm.TreatMissingData),
        };
    }

    /// <summary>
    /// The <c>GetMetricData</c> queries for the series an alarm compares, and the id of that series: the metric itself,
    /// or the metric-math query with <c>ReturnData</c> (not the anomaly band of <c>ThresholdMetricId</c>). Only that
    /// one returns data.
    /// </summary>
    public static (IReadOnlyList<MetricDataQuery> Queries, string ReturnId)? Queries(Domain.AlarmCondition condition)
    {
        if (condition.Queries.Count > 0)
        {
            var compared = Compared(condition.Queries, condition.ThresholdMetricId);
            if (compared is null)
            {
                return null;
            }

            var queries = condition.Queries.Select(q => new MetricDataQuery
            {
                Id = q.Id,
                MetricStat = q.Metric is null ? null : Stat(q.Metric),
                Expression = q.Expression,
                Label = q.Label,
                ReturnData = q.Id == compared.Id,
            }).ToList();
            return (queries, compared.Id);
        }

        if (condition.Metric is null)
        {
            return null;
        }

        return ([new MetricDataQuery { Id = SingleMetricId, MetricStat = Stat(condition.Metric with { PeriodSeconds = condition.PeriodSeconds }), ReturnData = true }],
            SingleMetricId);
    }

    public static Domain.AlarmHistoryItem? History(AlarmHistoryItem item)
    {
        Domain.AlarmHistoryKind? kind = item.HistoryItemType switch
        {
            "StateUpdate" => Domain.AlarmHistoryKind.StateUpdate,
            "ConfigurationUpdate" => Domain.AlarmHistoryKind.ConfigurationUpdate,
            "Action" => Domain.AlarmHistoryKind.Action,
            _ => null,
        };
        if (kind is null || item.Timestamp is null)
        {
            return null;
        }

        var (oldState, newState) = kind == Domain.AlarmHistoryKind.StateUpdate ? States(item.HistoryData) : (null, null);
        return new Domain.AlarmHistoryItem(item.Timestamp.Value, kind.Value, item.HistorySummary ?? "", oldState, newState);
    }

    public static Domain.AlarmState State(string? value) => value switch
    {
        "OK" => Domain.AlarmState.Ok,
        "ALARM" => Domain.AlarmState.Alarm,
        _ => Domain.AlarmState.InsufficientData,
    };

    private static Domain.AlarmMetricQuery Query(MetricDataQuery query) => new(
        query.Id,
        query.MetricStat is { } stat ? new Domain.MetricStat(stat.Metric.Namespace ?? "", stat.Metric.MetricName ?? "", Dimensions(stat.Metric.Dimensions), stat.Stat,
            stat.Period, stat.Unit) : null,
        query.Expression,
        query.Label,
        query.ReturnData ?? true);

    private static Domain.AlarmMetricQuery? Compared(IReadOnlyList<Domain.AlarmMetricQuery> queries, string? thresholdMetricId) =>
        queries.FirstOrDefault(q => q.ReturnData && q.Id != thresholdMetricId) ?? queries.FirstOrDefault(q => q.ReturnData);

    private static MetricStat Stat(Domain.MetricStat metric) => new()
    {
        Metric = new Metric
        {
            Namespace = metric.Namespace,
            MetricName = metric.MetricName,
            Dimensions = metric.Dimensions.Select(d => new Dimension(d.Name, d.Value)).ToList(),
        },
        Period = metric.PeriodSeconds,
        Stat = metric.Statistic,
        Unit = metric.Unit,
    };

    private static List<Domain.MetricDimension> Dimensions(IReadOnlyList<Dimension>? dimensions) =>
        (dimensions ?? []).Select(d => new Domain.MetricDimension(d.Name, d.Value)).ToList();

    private static Domain.MissingDataTreatment MissingData(string? value) => value switch
    {
        "ignore" => Domain.MissingDataTreatment.Ignore,
        "breaching" => Domain.MissingDataTreatment.Breaching,
        "notBreaching" => Domain.MissingDataTreatment.NotBreaching,
        _ => Domain.MissingDataTreatment.Missing,
    };

    /// <summary><c>HistoryData</c>'s <c>oldState.stateValue</c> and <c>newState.stateValue</c>.</summary>
    private static (Domain.AlarmState?, Domain.AlarmState?) States(string? historyData)
    {
        if (string.IsNullOrEmpty(historyData))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(historyData);
            return (StateOf(document.RootElement, "oldState"), StateOf(document.RootElement, "newState"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static Domain.AlarmState? StateOf(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var state) && state.ValueKind == JsonValueKind.Object
            && state.TryGetProperty("stateValue", out var value) && value.ValueKind == JsonValueKind.String
            ? State(value.GetString())
            : null;
}
