using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Core.Alarms;
using Portal.Sandbox.Aws;
using Portal.Sandbox.Aws.CloudWatch;
using Portal.Sandbox.Tests.Kubernetes;

namespace Portal.Sandbox.Tests.Aws.CloudWatch;

/// <summary>The sandbox's CloudWatch on the wire, called as the portal calls it: shapes, paging, filters and errors.</summary>
public sealed class CloudWatchApiTests : IAsyncLifetime
{
    private static readonly MetricId TestMetric = MetricId.Of("Test/Wire", "Requests", [new MetricDimension("Service", "cart")]);
    private ThreeServices _services = default!;
    private AwsWire _wire = default!;

    private TimeProvider Clock => _services.Cluster.Clock;

    public async Task InitializeAsync()
    {
        _services = await ThreeServices.StartAsync();
        _wire = _services.Wire;
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private static JsonObject Reference(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", file)))!.AsObject();

    [Fact]
    public async Task DescribeAlarms_SeveralPages_ReturnsEveryAlarmOnceInNameOrder()
    {
        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var answer = await _wire.CloudWatchAsync("DescribeAlarms", new JsonObject { ["MaxRecords"] = 5, ["NextToken"] = token }.ToJsonString());
            answer.Status.ShouldBe(HttpStatusCode.OK);
            answer.ContentType.ShouldBe("application/x-amz-json-1.0");
            answer.RequestId.ShouldNotBeNullOrEmpty();
            names.AddRange(answer.Body["MetricAlarms"]!.AsArray().Select(a => (string)a!["AlarmName"]!));
            answer.Body["CompositeAlarms"]!.AsArray().ShouldBeEmpty();
            token = (string?)answer.Body["NextToken"];
            pages++;
        }
        while (token is not null);

        pages.ShouldBe(3);
        names.Count.ShouldBe(12);
        names.ShouldBe(names.Order(StringComparer.Ordinal));
        names.ShouldBeUnique();
        names.ShouldContain("team/orders/unavailable-pods");
    }

    [Fact]
    public async Task DescribeAlarms_MetricAlarm_HasTheModelsMembersAndEpochTimestamps()
    {
        var answer = await _wire.CloudWatchAsync("DescribeAlarms", """{ "AlarmNames": ["team/cart/cpu-high"] }""");

        var alarm = answer.Body["MetricAlarms"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
        var real = Reference("cloudwatch_describe-alarms.output.json")["MetricAlarms"]![0]!.AsObject();
        // StateReasonData only exists once an alarm was evaluated, as in CloudWatch.
        real.Select(p => p.Key).Where(k => k != "StateReasonData").ShouldBeSubsetOf(alarm.Select(p => p.Key));
        ((string?)alarm["AlarmArn"]).ShouldBe("arn:aws:cloudwatch:us-east-1:000000000000:alarm:team/cart/cpu-high");
        ((string?)alarm["StateValue"]).ShouldBe("INSUFFICIENT_DATA");
        ((string?)alarm["StateReason"]).ShouldBe("Unchecked: Initial alarm creation");
        ((double?)alarm["Threshold"]).ShouldBe(90);
        ((string?)alarm["TreatMissingData"]).ShouldBe("missing");
        ((int?)alarm["DatapointsToAlarm"]).ShouldBe(3);
        alarm["Dimensions"]!.ToJsonString().ShouldBe("""[{"Name":"ClusterName","Value":"sandbox"},{"Name":"Namespace","Value":"team"},{"Name":"Service","Value":"cart"}]""");
        alarm["StateUpdatedTimestamp"]!.GetValueKind().ShouldBe(JsonValueKind.Number);
        ((double)alarm["StateUpdatedTimestamp"]!).ShouldBe(Clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
    }

    [Fact]
    public async Task DescribeAlarms_Filters_SelectByNamesPrefixStateAndType()
    {
        async Task<List<string>> Names(string json) =>
            [.. (await _wire.CloudWatchAsync("DescribeAlarms", json)).Body["MetricAlarms"]!.AsArray().Select(a => (string)a!["AlarmName"]!)];

        (await Names("""{ "AlarmNamePrefix": "team/cart/" }""")).ShouldBe(["team/cart/5xx-rate", "team/cart/cpu-high", "team/cart/restarts", "team/cart/unavailable-pods"]);
        (await Names("""{ "AlarmNames": ["team/users/restarts", "team/orders/5xx-rate", "nope"] }""")).ShouldBe(["team/orders/5xx-rate", "team/users/restarts"]);
        (await Names("""{ "StateValue": "INSUFFICIENT_DATA" }""")).Count.ShouldBe(12);
        (await Names("""{ "StateValue": "ALARM" }""")).ShouldBeEmpty();
        (await Names("""{ "AlarmTypes": ["CompositeAlarm"] }""")).ShouldBeEmpty();
        (await Names("""{ "AlarmTypes": ["MetricAlarm", "CompositeAlarm"], "AlarmNamePrefix": "team/users/" }""")).Count.ShouldBe(4);
    }

    [Fact]
    public async Task DescribeAlarms_InvalidStateValue_IsCloudWatchsValidationError()
    {
        var answer = await _wire.CloudWatchAsync("DescribeAlarms", """{ "StateValue": "INVALID" }""");

        var real = Reference("wire-awsJson1_0.errors.json")["invalid-value-response"]!;
        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        ((string?)answer.Body["__type"]).ShouldBe((string?)real["__type"]);
        ((string?)answer.Body["message"]).ShouldBe((string?)real["message"]);
        answer.QueryError.ShouldBe("ValidationError;Sender");
    }

    [Theory]
    [InlineData("""{ "MaxRecords": 101 }""", "1 validation error detected: Value '101' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to 100")]
    [InlineData("""{ "MaxRecords": 0 }""", "1 validation error detected: Value '0' at 'maxRecords' failed to satisfy constraint: Member must have value greater than or equal to 1")]
    [InlineData("""{ "AlarmTypes": ["Other"] }""", "1 validation error detected: Value 'Other' at 'alarmTypes' failed to satisfy constraint: Member must satisfy enum value set: [CompositeAlarm, MetricAlarm, LogAlarm]")]
    public async Task DescribeAlarms_OutOfModel_IsAValidationError(string json, string message)
    {
        var answer = await _wire.CloudWatchAsync("DescribeAlarms", json);

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        ((string?)answer.Body["__type"]).ShouldBe("com.amazon.coral.validate#ValidationException");
        ((string?)answer.Body["message"]).ShouldBe(message);
    }

    [Fact]
    public async Task DescribeAlarms_WrongTypeForAMember_IsASerializationError()
    {
        var answer = await _wire.CloudWatchAsync("DescribeAlarms", """{ "MaxRecords": "five" }""");

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        ((string?)answer.Body["__type"]).ShouldBe("com.amazon.coral.service#SerializationException");
    }

    [Fact]
    public async Task DescribeAlarms_ForeignOrForgedNextToken_IsInvalidNextToken()
    {
        var first = await _wire.CloudWatchAsync("DescribeAlarms", """{ "MaxRecords": 2, "AlarmNamePrefix": "team/cart/" }""");
        var token = (string)first.Body["NextToken"]!;

        foreach (var json in new[]
        {
            new JsonObject { ["MaxRecords"] = 2, ["AlarmNamePrefix"] = "team/orders/", ["NextToken"] = token },
            new JsonObject { ["NextToken"] = "not-a-token" },
        })
        {
            var answer = await _wire.CloudWatchAsync("DescribeAlarms", json.ToJsonString());
            answer.Status.ShouldBe(HttpStatusCode.BadRequest);
            ((string?)answer.Body["__type"]).ShouldBe("com.amazonaws.cloudwatch.v2010_08_01#InvalidNextToken");
            answer.QueryError.ShouldBe("InvalidNextToken;Sender");
        }

        var second = await _wire.CloudWatchAsync("DescribeAlarms", new JsonObject { ["MaxRecords"] = 2, ["AlarmNamePrefix"] = "team/cart/", ["NextToken"] = token }.ToJsonString());
        second.Body["MetricAlarms"]!.AsArray().Select(a => (string?)a!["AlarmName"]).ShouldBe(["team/cart/restarts", "team/cart/unavailable-pods"]);
        second.Body["NextToken"].ShouldBeNull();
    }

    [Fact]
    public async Task DescribeAlarmHistory_SeveralPages_NewestFirstOrOldestFirst()
    {
        async Task<List<JsonObject>> All(string scanBy)
        {
            var items = new List<JsonObject>();
            string? token = null;
            do
            {
                var answer = await _wire.CloudWatchAsync("DescribeAlarmHistory", new JsonObject { ["MaxRecords"] = 5, ["ScanBy"] = scanBy, ["NextToken"] = token }.ToJsonString());
                answer.Status.ShouldBe(HttpStatusCode.OK);
                items.AddRange(answer.Body["AlarmHistoryItems"]!.AsArray().Select(i => i!.AsObject()));
                token = (string?)answer.Body["NextToken"];
            }
            while (token is not null);

            return items;
        }

        var descending = await All("TimestampDescending");
        var ascending = await All("TimestampAscending");

        descending.Count.ShouldBe(12);
        descending.Select(i => (string?)i["AlarmName"]).ShouldBe(ascending.Select(i => (string?)i["AlarmName"]).Reverse());
        var created = descending.First(i => (string?)i["AlarmName"] == "team/cart/restarts");
        ((string?)created["HistoryItemType"]).ShouldBe("ConfigurationUpdate");
        ((string?)created["HistorySummary"]).ShouldBe("Alarm \"team/cart/restarts\" created");
        ((string?)created["AlarmType"]).ShouldBe("MetricAlarm");
        created["Timestamp"]!.GetValueKind().ShouldBe(JsonValueKind.Number);
        var data = JsonNode.Parse((string)created["HistoryData"]!)!;
        ((string?)data["type"]).ShouldBe("Create");
        ((string?)data["createdAlarm"]!["alarmName"]).ShouldBe("team/cart/restarts");
    }

    [Fact]
    public async Task DescribeAlarmHistory_Filters_ByAlarmTypeOfItemAndDates()
    {
        async Task<int> Count(string json) => (await _wire.CloudWatchAsync("DescribeAlarmHistory", json)).Body["AlarmHistoryItems"]!.AsArray().Count;
        var now = Clock.GetUtcNow().ToUnixTimeSeconds();

        (await Count("""{ "AlarmName": "team/users/cpu-high" }""")).ShouldBe(1);
        (await Count("""{ "HistoryItemType": "StateUpdate" }""")).ShouldBe(0);
        (await Count("""{ "HistoryItemType": "ConfigurationUpdate" }""")).ShouldBe(12);
        (await Count($$"""{ "StartDate": {{now - 60}}, "EndDate": {{now + 60}} }""")).ShouldBe(12);
        (await Count($$"""{ "StartDate": {{now + 1}} }""")).ShouldBe(0);
        (await Count("""{ "AlarmTypes": ["CompositeAlarm"] }""")).ShouldBe(0);
    }

    [Fact]
    public async Task GetMetricData_TwoStatisticsAtTwoMinutePeriods_NewestFirst()
    {
        var start = PublishTestMinutes(6);

        var answer = await _wire.CloudWatchAsync("GetMetricData", Query(start, start.AddMinutes(6), 120, null));

        answer.Status.ShouldBe(HttpStatusCode.OK);
        var results = answer.Body["MetricDataResults"]!.AsArray().Select(r => r!.AsObject()).ToList();
        results.Select(r => (string?)r["Id"]).ShouldBe(["avg", "total"], "ReturnData false is not returned");
        var avg = results[0];
        ((string?)avg["Label"]).ShouldBe("Requests");
        ((string?)avg["StatusCode"]).ShouldBe("Complete");
        avg["Timestamps"]!.AsArray().Select(t => (long)t!).ShouldBe([start.AddMinutes(4).ToUnixTimeSeconds(), start.AddMinutes(2).ToUnixTimeSeconds(), start.ToUnixTimeSeconds()]);
        // Minute i holds the samples i and 10 * i: the average of minutes 4 and 5 is (4 + 40 + 5 + 50) / 4.
        avg["Values"]!.AsArray().Select(v => (double)v!).ShouldBe([24.75, 13.75, 2.75]);
        ((string?)results[1]["Label"]).ShouldBe("total requests");
        results[1]["Values"]!.AsArray().Select(v => (double)v!).ShouldBe([99.0, 55.0, 11.0]);
        answer.Body["Messages"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task GetMetricData_HighResolutionData_AnswersTenSecondPeriods()
    {
        var now = Clock.GetUtcNow();
        var start = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 60 * 60).AddMinutes(-1);
        for (var i = 0; i < 6; i++)
        {
            _services.Aws.Metrics.Publish([new MetricDatum(TestMetric, "Count", start.AddSeconds(10 * i), StatisticSet.Of(i), Resolution: 10)], now);
        }

        var tens = await _wire.CloudWatchAsync("GetMetricData", Query(start, start.AddMinutes(1), 10, null, scanBy: "TimestampAscending"));
        var minute = await _wire.CloudWatchAsync("GetMetricData", Query(start, start.AddMinutes(1), 60, null));

        var sums = tens.Body["MetricDataResults"]![1]!;
        sums["Timestamps"]!.AsArray().Select(t => (long)t! - start.ToUnixTimeSeconds()).ShouldBe([0L, 10, 20, 30, 40, 50]);
        sums["Values"]!.AsArray().Select(v => (double)v!).ShouldBe([0.0, 1, 2, 3, 4, 5]);
        minute.Body["MetricDataResults"]![1]!["Values"]!.AsArray().Select(v => (double)v!).ShouldBe([15.0]);
    }

    [Fact]
    public async Task GetMetricData_MaxDatapoints_PagesThroughEveryDatapoint()
    {
        var start = PublishTestMinutes(6);
        var whole = await _wire.CloudWatchAsync("GetMetricData", Query(start, start.AddMinutes(6), 60, null, scanBy: "TimestampAscending"));

        var points = new Dictionary<string, List<double>>();
        string? token = null;
        var pages = 0;
        do
        {
            var answer = await _wire.CloudWatchAsync("GetMetricData", Query(start, start.AddMinutes(6), 60, token, scanBy: "TimestampAscending", maxDatapoints: 4));
            answer.Status.ShouldBe(HttpStatusCode.OK);
            foreach (var result in answer.Body["MetricDataResults"]!.AsArray())
            {
                var values = result!["Values"]!.AsArray().Select(v => (double)v!).ToList();
                values.Count.ShouldBeLessThanOrEqualTo(4);
                points.TryAdd((string)result["Id"]!, []);
                points[(string)result["Id"]!].AddRange(values);
                ((string?)result["StatusCode"]).ShouldBe(answer.Body["NextToken"] is null || result != answer.Body["MetricDataResults"]!.AsArray()[^1] ? "Complete" : "PartialData");
            }

            token = (string?)answer.Body["NextToken"];
            pages++;
        }
        while (token is not null);

        pages.ShouldBe(3, "12 datapoints, 4 a page");
        foreach (var result in whole.Body["MetricDataResults"]!.AsArray())
        {
            points[(string)result!["Id"]!].ShouldBe(result["Values"]!.AsArray().Select(v => (double)v!));
        }
    }

    [Theory]
    [InlineData("""{ "Id": "e1", "Expression": "SUM(METRICS())" }""", HttpStatusCode.BadRequest, "com.amazon.coral.validate#ValidationException", "not supported by the Portal sandbox")]
    [InlineData("""{ "Id": "m1", "MetricStat": { "Metric": { "Namespace": "Test/Wire", "MetricName": "Requests" }, "Period": 90, "Stat": "Sum" } }""", HttpStatusCode.BadRequest, "com.amazonaws.cloudwatch.v2010_08_01#InvalidParameterValueException", "multiple of 60")]
    [InlineData("""{ "Id": "m1", "MetricStat": { "Metric": { "Namespace": "Test/Wire", "MetricName": "Requests" }, "Period": 60, "Stat": "p99" } }""", HttpStatusCode.BadRequest, "com.amazonaws.cloudwatch.v2010_08_01#InvalidParameterValueException", "statistic sets")]
    [InlineData("""{ "Id": "Upper", "MetricStat": { "Metric": { "Namespace": "Test/Wire", "MetricName": "Requests" }, "Period": 60, "Stat": "Sum" } }""", HttpStatusCode.BadRequest, "com.amazonaws.cloudwatch.v2010_08_01#InvalidParameterValueException", "lowercase letter")]
    public async Task GetMetricData_WhatTheSandboxCannotAnswer_IsRefused(string query, HttpStatusCode status, string type, string message)
    {
        var now = Clock.GetUtcNow().ToUnixTimeSeconds();

        var answer = await _wire.CloudWatchAsync("GetMetricData", $$"""{ "MetricDataQueries": [ {{query}} ], "StartTime": {{now - 600}}, "EndTime": {{now}} }""");

        answer.Status.ShouldBe(status);
        ((string?)answer.Body["__type"]).ShouldBe(type);
        ((string)answer.Body["message"]!).ShouldContain(message);
    }

    [Fact]
    public async Task GetMetricData_StartNotBeforeEnd_IsInvalidParameterValue()
    {
        var now = Clock.GetUtcNow();

        var answer = await _wire.CloudWatchAsync("GetMetricData", Query(now, now, 60, null));

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        ((string?)answer.Body["message"]).ShouldBe("The parameter StartTime must be less than the parameter EndTime.");
        answer.QueryError.ShouldBe("InvalidParameterValue;Sender");
    }

    [Fact]
    public async Task ListTagsForResource_AlarmArn_ReturnsItsSeverity()
    {
        var answer = await _wire.CloudWatchAsync("ListTagsForResource", """{ "ResourceARN": "arn:aws:cloudwatch:us-east-1:000000000000:alarm:team/orders/5xx-rate" }""");

        answer.Status.ShouldBe(HttpStatusCode.OK);
        answer.Body["Tags"]!.ToJsonString().ShouldBe("""[{"Key":"severity","Value":"critical"}]""");
        var missing = await _wire.CloudWatchAsync("ListTagsForResource", """{ "ResourceARN": "arn:aws:cloudwatch:us-east-1:000000000000:alarm:gone" }""");
        missing.Status.ShouldBe(HttpStatusCode.NotFound);
        ((string?)missing.Body["__type"]).ShouldBe("com.amazonaws.cloudwatch.v2010_08_01#ResourceNotFoundException");
    }

    [Fact]
    public async Task UnknownOperation_IsUnknownOperationException()
    {
        var answer = await _wire.CloudWatchAsync("PutMetricAlarm", """{ "AlarmName": "x" }""");

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        ((string?)answer.Body["__type"]).ShouldBe("com.amazon.coral.service#UnknownOperationException");
    }

    /// <summary>Publishes <paramref name="minutes"/> minutes of Test/Wire Requests (samples i and 10 i in minute i) before now.</summary>
    private DateTimeOffset PublishTestMinutes(int minutes)
    {
        var now = Clock.GetUtcNow();
        var start = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 60 * 60).AddMinutes(-minutes);
        for (var i = 0; i < minutes; i++)
        {
            _services.Aws.Metrics.Publish([new MetricDatum(TestMetric, "Count", start.AddMinutes(i), StatisticSet.Of(i).Add(10 * i))], now);
        }

        return start;
    }

    private static string Query(DateTimeOffset start, DateTimeOffset end, int period, string? token, string? scanBy = null, int? maxDatapoints = null)
    {
        JsonObject Stat(string id, string stat, bool returnData, string? label = null) => new()
        {
            ["Id"] = id,
            ["MetricStat"] = new JsonObject
            {
                ["Metric"] = new JsonObject { ["Namespace"] = "Test/Wire", ["MetricName"] = "Requests", ["Dimensions"] = new JsonArray(new JsonObject { ["Name"] = "Service", ["Value"] = "cart" }) },
                ["Period"] = period,
                ["Stat"] = stat,
            },
            ["Label"] = label,
            ["ReturnData"] = returnData,
        };

        var input = new JsonObject
        {
            ["MetricDataQueries"] = new JsonArray(Stat("avg", "Average", true), Stat("hidden", "Maximum", false), Stat("total", "Sum", true, "total requests")),
            ["StartTime"] = start.ToUnixTimeSeconds(),
            ["EndTime"] = JsonValue.Create(decimal.Parse(end.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) / 1000m),
        };
        if (token is not null)
        {
            input["NextToken"] = token;
        }

        if (scanBy is not null)
        {
            input["ScanBy"] = scanBy;
        }

        if (maxDatapoints is not null)
        {
            input["MaxDatapoints"] = maxDatapoints;
        }

        return input.ToJsonString();
    }
}
