using System.Text.Json.Nodes;
using Portal.Core.Alarms;

namespace Portal.Sandbox.Aws.CloudWatch;

/// <summary>
/// An alarm's definition as CloudWatch writes it into history data (<c>createdAlarm</c>, <c>deletedAlarm</c>:
/// camel-cased members) and the sandbox into its state file; read back by <see cref="Parse"/>.
/// </summary>
internal static class AlarmJson
{
    public static JsonObject Definition(MetricAlarmDefinition alarm)
    {
        var condition = alarm.Condition;
        var metric = condition.Metric!;
        return new JsonObject
        {
            ["alarmName"] = alarm.Name,
            ["alarmDescription"] = alarm.Description,
            ["actionsEnabled"] = true,
            ["okactions"] = new JsonArray(),
            ["alarmActions"] = new JsonArray(),
            ["insufficientDataActions"] = new JsonArray(),
            ["namespace"] = metric.Namespace,
            ["metricName"] = metric.MetricName,
            ["dimensions"] = new JsonArray([.. metric.Dimensions.Select(d => (JsonNode)new JsonObject { ["name"] = d.Name, ["value"] = d.Value })]),
            ["statistic"] = metric.Statistic,
            ["unit"] = metric.Unit,
            ["period"] = condition.PeriodSeconds,
            ["evaluationPeriods"] = condition.EvaluationPeriods,
            ["datapointsToAlarm"] = condition.DatapointsToAlarm,
            ["threshold"] = condition.Threshold,
            ["comparisonOperator"] = condition.Comparison.ToString(),
            ["treatMissingData"] = CloudWatchNames.TreatMissingData(condition.TreatMissingData),
            ["tags"] = new JsonObject([.. alarm.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]),
        };
    }

    public static MetricAlarmDefinition Parse(JsonObject o)
    {
        var period = (int)o["period"]!;
        return new MetricAlarmDefinition(
            (string)o["alarmName"]!,
            (string?)o["alarmDescription"],
            new AlarmCondition
            {
                Metric = new MetricStat(
                    (string)o["namespace"]!,
                    (string)o["metricName"]!,
                    [.. o["dimensions"]!.AsArray().OfType<JsonObject>().Select(d => new MetricDimension((string)d["name"]!, (string)d["value"]!))],
                    (string)o["statistic"]!,
                    period,
                    (string?)o["unit"]),
                PeriodSeconds = period,
                EvaluationPeriods = (int)o["evaluationPeriods"]!,
                DatapointsToAlarm = (int)o["datapointsToAlarm"]!,
                Threshold = (double?)o["threshold"],
                Comparison = Enum.Parse<AlarmComparison>((string)o["comparisonOperator"]!),
                TreatMissingData = CloudWatchNames.ParseTreatMissingData((string?)o["treatMissingData"]),
            },
            (o["tags"] as JsonObject ?? []).ToDictionary(t => t.Key, t => (string)t.Value!));
    }

    /// <summary>Two definitions are the same alarm configuration (records compare lists by reference, this by content).</summary>
    public static bool Same(MetricAlarmDefinition a, MetricAlarmDefinition b) => JsonNode.DeepEquals(Definition(a), Definition(b));
}
