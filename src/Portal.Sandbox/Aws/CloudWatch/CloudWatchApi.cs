using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Portal.Core.Alarms;
using Portal.Sandbox.Aws.Protocol;

namespace Portal.Sandbox.Aws.CloudWatch;

/// <summary>
/// The CloudWatch operations the sandbox serves, with the request and response shapes, parameter names, defaults,
/// paging and errors of botocore-cloudwatch-2010-08-01-service-2.json: DescribeAlarms, DescribeAlarmHistory,
/// GetMetricData (metric queries only: metric math is refused as unsupported by the sandbox) and ListTagsForResource.
/// </summary>
internal sealed partial class CloudWatchApi(SandboxAlarms alarms, MetricStore metrics)
{
    private const int DefaultMaxDatapoints = 100_800;

    public IReadOnlyDictionary<string, Func<JsonObject, JsonObject>> Operations => new Dictionary<string, Func<JsonObject, JsonObject>>
    {
        ["DescribeAlarms"] = DescribeAlarms,
        ["DescribeAlarmHistory"] = DescribeAlarmHistory,
        ["GetMetricData"] = GetMetricData,
        ["ListTagsForResource"] = ListTagsForResource,
    };

    public JsonObject DescribeAlarms(JsonObject input)
    {
        var names = JsonInput.Strings(input, "AlarmNames");
        var prefix = JsonInput.Str(input, "AlarmNamePrefix");
        var types = JsonInput.Strings(input, "AlarmTypes");
        var state = JsonInput.Str(input, "StateValue");
        var actionPrefix = JsonInput.Str(input, "ActionPrefix");
        var related = JsonInput.Str(input, "ChildrenOfAlarmName") ?? JsonInput.Str(input, "ParentsOfAlarmName");
        var max = JsonInput.Int(input, "MaxRecords");
        if (names.Count > 100)
        {
            throw JsonInput.Invalid("alarmNames", $"[{string.Join(", ", names)}]", "Member must have length less than or equal to 100");
        }

        JsonInput.Length("alarmNamePrefix", prefix, 1, 255);
        JsonInput.Length("actionPrefix", actionPrefix, 1, 1024);
        JsonInput.OneOf("stateValue", state, CloudWatchNames.States);
        JsonInput.Range("maxRecords", max, 1, 100);
        foreach (var type in types)
        {
            JsonInput.OneOf("alarmTypes", type, CloudWatchNames.AlarmTypes);
        }

        if (names.Count > 0 && prefix is not null)
        {
            throw InvalidParameterCombination("AlarmNames and AlarmNamePrefix are mutually exclusive.");
        }

        var query = string.Join('\u001f', string.Join(',', names), prefix, string.Join(',', types), state, actionPrefix, related);
        var after = Position(input, query);
        var wantMetric = types.Count == 0 || types.Contains("MetricAlarm");
        var matching = alarms.List().Where(a =>
                wantMetric && related is null && actionPrefix is null
                && (names.Count == 0 || names.Contains(a.Name))
                && (prefix is null || a.Name.StartsWith(prefix, StringComparison.Ordinal))
                && (state is null || CloudWatchNames.State(a.State) == state)
                && (after is null || string.CompareOrdinal(a.Name, after) > 0))
            .ToList();
        var page = matching.Take(max ?? 50).ToList();
        var output = new JsonObject
        {
            ["MetricAlarms"] = new JsonArray([.. page.Select(a => (JsonNode)MetricAlarm(a))]),
            ["CompositeAlarms"] = new JsonArray(),
        };
        if (matching.Count > page.Count)
        {
            output["NextToken"] = PageToken.Encode(query, page[^1].Name);
        }

        return output;
    }

    public JsonObject DescribeAlarmHistory(JsonObject input)
    {
        var name = JsonInput.Str(input, "AlarmName");
        var types = JsonInput.Strings(input, "AlarmTypes");
        var kind = JsonInput.Str(input, "HistoryItemType");
        var start = JsonInput.Time(input, "StartDate");
        var end = JsonInput.Time(input, "EndDate");
        var max = JsonInput.Int(input, "MaxRecords");
        var scanBy = JsonInput.Str(input, "ScanBy");
        JsonInput.Length("alarmName", name, 1, 255);
        JsonInput.OneOf("historyItemType", kind, CloudWatchNames.HistoryItemTypes);
        JsonInput.Range("maxRecords", max, 1, 100);
        JsonInput.OneOf("scanBy", scanBy, CloudWatchNames.ScanBy);
        foreach (var type in types)
        {
            JsonInput.OneOf("alarmTypes", type, CloudWatchNames.AlarmTypes);
        }

        var ascending = scanBy == "TimestampAscending";
        var query = string.Join('\u001f', name, string.Join(',', types), kind, start?.ToUnixTimeMilliseconds(), end?.ToUnixTimeMilliseconds(), scanBy);
        var after = Position(input, query) is { } p ? long.Parse(p, CultureInfo.InvariantCulture) : (long?)null;
        var history = alarms.History();
        var matching = (ascending ? history : history.Reverse())
            .Where(h => (types.Count == 0 || types.Contains("MetricAlarm"))
                && (name is null || h.AlarmName == name)
                && (kind is null || h.Kind.ToString() == kind)
                && (start is null || h.Timestamp >= start)
                && (end is null || h.Timestamp <= end)
                && (after is null || (ascending ? h.Sequence > after : h.Sequence < after)))
            .ToList();
        var page = matching.Take(max ?? 100).ToList();
        var output = new JsonObject
        {
            ["AlarmHistoryItems"] = new JsonArray([.. page.Select(h => (JsonNode)new JsonObject
            {
                ["AlarmName"] = h.AlarmName,
                ["AlarmType"] = "MetricAlarm",
                ["Timestamp"] = Epoch(h.Timestamp),
                ["HistoryItemType"] = h.Kind.ToString(),
                ["HistorySummary"] = h.Summary,
                ["HistoryData"] = h.Data,
            })]),
        };
        if (matching.Count > page.Count)
        {
            output["NextToken"] = PageToken.Encode(query, page[^1].Sequence.ToString(CultureInfo.InvariantCulture));
        }

        return output;
    }

    public JsonObject GetMetricData(JsonObject input)
    {
        if (input["MetricDataQueries"] is null)
        {
            throw AwsApiException.Validation("1 validation error detected: Value null at 'metricDataQueries' failed to satisfy constraint: Member must not be null");
        }

        var queries = JsonInput.Objects(input, "MetricDataQueries");
        var start = JsonInput.Time(input, "StartTime") ?? throw AwsApiException.Validation("1 validation error detected: Value null at 'startTime' failed to satisfy constraint: Member must not be null");
        var end = JsonInput.Time(input, "EndTime") ?? throw AwsApiException.Validation("1 validation error detected: Value null at 'endTime' failed to satisfy constraint: Member must not be null");
        var scanBy = JsonInput.Str(input, "ScanBy");
        var max = JsonInput.Int(input, "MaxDatapoints");
        JsonInput.OneOf("scanBy", scanBy, CloudWatchNames.ScanBy);
        if (start >= end)
        {
            throw InvalidParameterValue("The parameter StartTime must be less than the parameter EndTime.");
        }

        if (max is < 1)
        {
            throw InvalidParameterValue("The parameter MaxDatapoints must be greater than 0.");
        }

        if (queries.Count is 0 or > 500)
        {
            throw InvalidParameterValue("The parameter MetricDataQueries must contain between 1 and 500 queries.");
        }

        var parsed = queries.Select((q, i) => Query(q, i + 1)).ToList();
        if (parsed.GroupBy(q => q.Id).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw InvalidParameterValue($"The value {duplicate.Key} for parameter MetricDataQueries is not unique.");
        }

        var ascending = scanBy == "TimestampAscending";
        var query = string.Join('\u001f', input["MetricDataQueries"]!.ToJsonString(), start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds(), scanBy, max);
        var (fromQuery, fromPoint) = Position(input, query) is { } position && position.Split(':') is [var q, var i]
            ? (int.Parse(q, CultureInfo.InvariantCulture), int.Parse(i, CultureInfo.InvariantCulture))
            : (0, 0);
        var budget = max ?? DefaultMaxDatapoints;
        var results = new JsonArray();
        string? next = null;
        for (var index = fromQuery; index < parsed.Count; index++)
        {
            var metricQuery = parsed[index];
            if (!metricQuery.ReturnData)
            {
                continue;
            }

            var points = metrics.Read(MetricId.Of(metricQuery.Stat), metricQuery.Stat.Unit, start, end, metricQuery.Stat.PeriodSeconds)
                .Select(p => (p.Start, Value: p.Values.Value(metricQuery.Stat.Statistic))).ToList();
            if (!ascending)
            {
                points.Reverse();
            }

            var skip = Math.Min(points.Count, index == fromQuery ? fromPoint : 0);
            var take = Math.Min(budget, points.Count - skip);
            var complete = skip + take == points.Count;
            results.Add(new JsonObject
            {
                ["Id"] = metricQuery.Id,
                ["Label"] = metricQuery.Label ?? metricQuery.Stat.MetricName,
                ["Timestamps"] = new JsonArray([.. points.Skip(skip).Take(take).Select(p => (JsonNode)Epoch(p.Start))]),
                ["Values"] = new JsonArray([.. points.Skip(skip).Take(take).Select(p => (JsonNode)p.Value)]),
                ["StatusCode"] = complete ? "Complete" : "PartialData",
            });
            budget -= take;
            if (!complete)
            {
                next = PageToken.Encode(query, $"{index}:{skip + take}");
                break;
            }
        }

        var output = new JsonObject { ["MetricDataResults"] = results, ["Messages"] = new JsonArray() };
        if (next is not null)
        {
            output["NextToken"] = next;
        }

        return output;
    }

    public JsonObject ListTagsForResource(JsonObject input)
    {
        var arn = JsonInput.Str(input, "ResourceARN") ?? throw AwsApiException.Validation("1 validation error detected: Value null at 'resourceARN' failed to satisfy constraint: Member must not be null");
        JsonInput.Length("resourceARN", arn, 1, 1024);
        if (!arn.StartsWith("arn:aws:cloudwatch:", StringComparison.Ordinal) || arn.Split(':').Length < 7)
        {
            throw InvalidParameterValue($"Invalid ARN: {arn}");
        }

        var alarm = alarms.List().FirstOrDefault(a => a.Arn == arn)
            ?? throw new AwsApiException(404, "ResourceNotFoundException", $"Alarm {arn.Split(':', 7)[^1]} does not exist.");
        return new JsonObject
        {
            ["Tags"] = new JsonArray([.. alarm.Definition.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value })]),
        };
    }

    /// <summary>The model's <c>MetricAlarm</c>: timestamps in epoch seconds, no member for what is unset.</summary>
    private static JsonObject MetricAlarm(SandboxAlarm alarm)
    {
        var condition = alarm.Definition.Condition;
        var metric = condition.Metric!;
        var json = new JsonObject
        {
            ["AlarmName"] = alarm.Name,
            ["AlarmArn"] = alarm.Arn,
            ["AlarmDescription"] = alarm.Definition.Description,
            ["AlarmConfigurationUpdatedTimestamp"] = Epoch(alarm.ConfigurationUpdated),
            ["ActionsEnabled"] = true,
            ["OKActions"] = new JsonArray(),
            ["AlarmActions"] = new JsonArray(),
            ["InsufficientDataActions"] = new JsonArray(),
            ["StateValue"] = CloudWatchNames.State(alarm.State),
            ["StateReason"] = alarm.StateReason,
            ["StateReasonData"] = alarm.StateReasonData,
            ["StateUpdatedTimestamp"] = Epoch(alarm.StateUpdated),
            ["MetricName"] = metric.MetricName,
            ["Namespace"] = metric.Namespace,
            ["Statistic"] = metric.Statistic,
            ["Dimensions"] = new JsonArray([.. metric.Dimensions.Select(d => (JsonNode)new JsonObject { ["Name"] = d.Name, ["Value"] = d.Value })]),
            ["Period"] = condition.PeriodSeconds,
            ["Unit"] = metric.Unit,
            ["EvaluationPeriods"] = condition.EvaluationPeriods,
            ["DatapointsToAlarm"] = condition.DatapointsToAlarm,
            ["Threshold"] = condition.Threshold,
            ["ComparisonOperator"] = condition.Comparison.ToString(),
            ["TreatMissingData"] = CloudWatchNames.TreatMissingData(condition.TreatMissingData),
            ["StateTransitionedTimestamp"] = Epoch(alarm.StateTransitioned),
        };
        foreach (var unset in json.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            json.Remove(unset);
        }

        return json;
    }

    private sealed record MetricQuery(string Id, MetricStat Stat, string? Label, bool ReturnData);

    private static MetricQuery Query(JsonObject q, int index)
    {
        var member = $"MetricDataQueries.member.{index}";
        var id = JsonInput.Str(q, "Id") ?? throw AwsApiException.Validation($"1 validation error detected: Value null at 'metricDataQueries.{index}.member.id' failed to satisfy constraint: Member must not be null");
        if (!QueryId().IsMatch(id))
        {
            throw InvalidParameterValue($"The value {id} for parameter {member}.Id is not valid: it must start with a lowercase letter and contain only letters, numbers and underscores.");
        }

        if (JsonInput.Str(q, "Expression") is not null)
        {
            throw AwsApiException.Validation($"Metric math expressions ({member}.Expression) are not supported by the Portal sandbox's CloudWatch: query the metrics with MetricStat.");
        }

        var stat = JsonInput.Obj(q, "MetricStat") ?? throw InvalidParameterValue($"The parameter {member} must contain either a MetricStat or an Expression.");
        var metric = JsonInput.Obj(stat, "Metric") ?? throw MissingParameter($"The parameter {member}.MetricStat.Metric is required.");
        var period = JsonInput.Int(stat, "Period") ?? throw MissingParameter($"The parameter {member}.MetricStat.Period is required.");
        var statistic = JsonInput.Str(stat, "Stat") ?? throw MissingParameter($"The parameter {member}.MetricStat.Stat is required.");
        if (period is not (1 or 5 or 10 or 30) && (period < 60 || period % 60 != 0))
        {
            throw InvalidParameterValue($"The parameter {member}.MetricStat.Period must be 1, 5, 10, 30 or a multiple of 60.");
        }

        if (!StatisticSet.Statistics.Contains(statistic))
        {
            throw InvalidParameterValue($"The parameter {member}.MetricStat.Stat '{statistic}' is not answered by the sandbox, which keeps statistic sets: use one of {string.Join(", ", StatisticSet.Statistics)}.");
        }

        var ns = JsonInput.Str(metric, "Namespace") ?? throw MissingParameter($"The parameter {member}.MetricStat.Metric.Namespace is required.");
        var name = JsonInput.Str(metric, "MetricName") ?? throw MissingParameter($"The parameter {member}.MetricStat.Metric.MetricName is required.");
        var dimensions = JsonInput.Objects(metric, "Dimensions").Select(d => new MetricDimension(
            JsonInput.Str(d, "Name") ?? throw MissingParameter($"The parameter {member}.MetricStat.Metric.Dimensions.Name is required."),
            JsonInput.Str(d, "Value") ?? throw MissingParameter($"The parameter {member}.MetricStat.Metric.Dimensions.Value is required."))).ToList();
        return new MetricQuery(id, new MetricStat(ns, name, dimensions, statistic, period, JsonInput.Str(stat, "Unit")), JsonInput.Str(q, "Label"), JsonInput.Bool(q, "ReturnData") ?? true);
    }

    private static string? Position(JsonObject input, string query)
    {
        var token = JsonInput.Str(input, "NextToken");
        return PageToken.TryDecode(token, query, out var position)
            ? position
            : throw new AwsApiException(400, "InvalidNextToken", "The service returned an invalid NextToken.");
    }

    private static JsonNode Epoch(DateTimeOffset t) => JsonValue.Create(t.ToUnixTimeMilliseconds() / 1000m);

    private static AwsApiException InvalidParameterValue(string message) => new(400, "InvalidParameterValueException", message, "InvalidParameterValue");

    private static AwsApiException InvalidParameterCombination(string message) => new(400, "InvalidParameterCombinationException", message, "InvalidParameterCombination");

    private static AwsApiException MissingParameter(string message) => new(400, "MissingRequiredParameterException", message, "MissingParameter");

    [GeneratedRegex("^[a-z][a-zA-Z0-9_]*$")]
    private static partial Regex QueryId();
}
