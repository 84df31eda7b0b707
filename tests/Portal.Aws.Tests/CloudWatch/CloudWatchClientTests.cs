using System.Text.Json.Nodes;
using Portal.Aws.CloudWatch;
using Portal.Core.Alarms;

namespace Portal.Aws.Tests.CloudWatch;

public sealed class CloudWatchClientTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private FakeAws _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeAws.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private CloudWatchClient Client() => TestAccounts.CloudWatch(_fake.Url);

    private static void ShouldBeJson(string actual, string expected) => JsonNode.DeepEquals(JsonNode.Parse(actual), JsonNode.Parse(expected)).ShouldBeTrue($"sent {actual}");

    [Fact]
    public async Task DescribeAlarmsAsync_SendsTheModelsParameters()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("Wire/describe-alarms.metric.json"));

        await Client().DescribeAlarmsAsync(new DescribeAlarmsRequest
        {
            AlarmNamePrefix = "shop-prod/",
            AlarmTypes = [CloudWatchValues.MetricAlarm, CloudWatchValues.CompositeAlarm],
            StateValue = "ALARM",
            MaxRecords = 100,
            NextToken = "page-2",
        }, CancellationToken.None);

        var sent = _fake.Requests.Single();
        sent.Method.ShouldBe("POST");
        sent.Path.ShouldBe("/");
        sent.Header("X-Amz-Target").ShouldBe("GraniteServiceVersion20100801.DescribeAlarms");
        sent.Header("Content-Type").ShouldBe("application/x-amz-json-1.0");
        sent.Header("x-amzn-query-mode").ShouldBe("true");
        sent.Header("Authorization")!.ShouldContain("/us-east-1/monitoring/aws4_request");
        ShouldBeJson(sent.Body, """
            {"AlarmNamePrefix":"shop-prod/","AlarmTypes":["MetricAlarm","CompositeAlarm"],"StateValue":"ALARM","MaxRecords":100,"NextToken":"page-2"}
            """);
    }

    [Fact]
    public async Task DescribeAlarmsAsync_AlarmNames_AreSentAsAList()
    {
        _fake.Responder = _ => FakeReply.Ok("{}");

        var response = await Client().DescribeAlarmsAsync(new DescribeAlarmsRequest { AlarmNames = ["a", "b"] }, CancellationToken.None);

        ShouldBeJson(_fake.Requests.Single().Body, """{"AlarmNames":["a","b"]}""");
        response.MetricAlarms.ShouldBeNull();
    }

    [Fact]
    public async Task DescribeAlarmsAsync_LocalStackMetricAlarm_ParsesEveryMember()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("Wire/describe-alarms.metric.json"));

        var alarm = (await Client().DescribeAlarmsAsync(new DescribeAlarmsRequest(), CancellationToken.None)).MetricAlarms!.Single();

        alarm.AlarmName.ShouldBe("shop-prod/cart/latency-high");
        alarm.AlarmArn.ShouldBe("arn:aws:cloudwatch:us-east-1:111111111111:alarm:shop-prod/cart/latency-high");
        alarm.StateValue.ShouldBe("ALARM");
        alarm.Dimensions.ShouldBe([new Dimension("InstanceId", "abc")]);
        alarm.Period.ShouldBe(10);
        alarm.Threshold.ShouldBe(21.0);
        alarm.TreatMissingData.ShouldBe("ignore");
        alarm.Unit.ShouldBe("Seconds");
        alarm.AlarmConfigurationUpdatedTimestamp.ShouldBe(At.AddMilliseconds(123));
        alarm.StateTransitionedTimestamp.ShouldBe(At.AddSeconds(10.5));
        JsonNode.Parse(alarm.StateReasonData!)!["recentDatapoints"]![0]!.GetValue<double>().ShouldBe(21.5);
    }

    [Fact]
    public async Task DescribeAlarmsAsync_AwsCliExample_ParsesWithItsIsoTimestamps()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("AwsCli/cloudwatch_describe-alarms.output.json"));

        var alarm = (await Client().DescribeAlarmsAsync(new DescribeAlarmsRequest(), CancellationToken.None)).MetricAlarms!.Single();

        alarm.AlarmName.ShouldBe("myalarm");
        alarm.EvaluationPeriods.ShouldBe(2);
        alarm.StateUpdatedTimestamp.ShouldBe(new DateTimeOffset(2014, 4, 9, 18, 59, 6, 442, TimeSpan.Zero));
        alarm.ComparisonOperator.ShouldBe("GreaterThanThreshold");
    }

    [Fact]
    public async Task DescribeAlarmsAsync_CompositeAndMetricMath_ParseRuleAndQueries()
    {
        _fake.Responder = FakeAws.Sequence(
            FakeReply.Ok(ReferenceData.Text("Wire/describe-alarms.composite.json")),
            FakeReply.Ok(ReferenceData.Text("Wire/describe-alarms.metric-math.json")));

        var composite = (await Client().DescribeAlarmsAsync(new DescribeAlarmsRequest(), CancellationToken.None)).CompositeAlarms!.Single();
        var math = (await Client().DescribeAlarmsAsync(new DescribeAlarmsRequest(), CancellationToken.None)).MetricAlarms!.Single();

        composite.AlarmRule.ShouldStartWith("ALARM(\"arn:aws:cloudwatch:us-east-1:111111111111:alarm:simple-alarm-1\") OR");
        composite.StateTransitionedTimestamp.ShouldBe(At.AddMinutes(1));
        math.Metrics!.Select(m => m.Id).ShouldBe(["m3", "m1", "m2"]);
        math.Metrics![0].Expression.ShouldBe("(m1+m2)/300");
        math.Metrics![1].MetricStat!.Metric.Dimensions.ShouldBe([new Dimension("InstanceId", "i-abcdef")]);
        math.Metrics![1].ReturnData.ShouldBe(false);
        math.DatapointsToAlarm.ShouldBe(2);
    }

    [Fact]
    public async Task DescribeAllAlarmsAsync_ThreePages_FollowsNextTokenAndKeepsTheFilters()
    {
        var metric = ReferenceData.Json("Wire/describe-alarms.metric.json")["MetricAlarms"]![0]!;
        var composite = ReferenceData.Json("Wire/describe-alarms.composite.json")["CompositeAlarms"]![0]!;
        JsonObject Page(string name, string? next, bool isComposite)
        {
            var alarm = (isComposite ? composite : metric).DeepClone();
            alarm["AlarmName"] = name;
            var page = new JsonObject
            {
                ["MetricAlarms"] = isComposite ? new JsonArray() : new JsonArray(alarm),
                ["CompositeAlarms"] = isComposite ? new JsonArray(alarm) : new JsonArray(),
            };
            if (next is not null)
            {
                page["NextToken"] = next;
            }

            return page;
        }

        _fake.Responder = r => (r.Json["NextToken"]?.GetValue<string>()) switch
        {
            null => FakeReply.Ok(Page("a", "t1", false).ToJsonString()),
            "t1" => FakeReply.Ok(Page("b", "t2", true).ToJsonString()),
            "t2" => FakeReply.Ok(Page("c", null, false).ToJsonString()),
            var other => FakeReply.Error(400, "InvalidNextToken", $"bad token {other}", "InvalidNextToken;Sender"),
        };

        var all = await Client().DescribeAllAlarmsAsync(new DescribeAlarmsRequest { AlarmTypes = ["MetricAlarm", "CompositeAlarm"], MaxRecords = 1 }, CancellationToken.None);

        all.MetricAlarms!.Select(a => a.AlarmName).ShouldBe(["a", "c"]);
        all.CompositeAlarms!.Select(a => a.AlarmName).ShouldBe(["b"]);
        _fake.Requests.Select(r => r.Json["NextToken"]?.GetValue<string>()).ShouldBe([null, "t1", "t2"]);
        _fake.Requests.ShouldAllBe(r => r.Json["MaxRecords"]!.GetValue<int>() == 1 && r.Json["AlarmTypes"]!.AsArray().Count == 2);
    }

    [Fact]
    public async Task DescribeAllAlarmsAsync_ServiceRepeatsAToken_StopsWithAnError()
    {
        _fake.Responder = _ => FakeReply.Ok("""{"MetricAlarms":[],"NextToken":"same"}""");

        var error = await Should.ThrowAsync<AlarmSourceException>(() => Client().DescribeAllAlarmsAsync(new DescribeAlarmsRequest(), CancellationToken.None));

        error.Message.ShouldContain("returned a NextToken it had already returned");
        _fake.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task DescribeAlarmHistoryAsync_SendsEpochDatesAndParsesTheHistory()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("Wire/describe-alarm-history.json"));

        var response = await Client().DescribeAlarmHistoryAsync(new DescribeAlarmHistoryRequest
        {
            AlarmName = "shop-prod/cart/latency-high",
            AlarmTypes = ["MetricAlarm"],
            HistoryItemType = "StateUpdate",
            StartDate = At.AddHours(-3),
            EndDate = At.AddMilliseconds(250),
            MaxRecords = 100,
            ScanBy = "TimestampDescending",
        }, CancellationToken.None);

        var sent = _fake.Requests.Single();
        sent.Header("X-Amz-Target").ShouldBe("GraniteServiceVersion20100801.DescribeAlarmHistory");
        ShouldBeJson(sent.Body, """
            {"AlarmName":"shop-prod/cart/latency-high","AlarmTypes":["MetricAlarm"],"HistoryItemType":"StateUpdate",
             "StartDate":1795327200,"EndDate":1795338000.25,"MaxRecords":100,"ScanBy":"TimestampDescending"}
            """);
        var item = response.AlarmHistoryItems!.Single();
        item.HistorySummary.ShouldBe("Alarm updated from INSUFFICIENT_DATA to ALARM");
        item.Timestamp.ShouldBe(At.AddSeconds(10.5));
        JsonNode.Parse(item.HistoryData!)!["newState"]!["stateValue"]!.GetValue<string>().ShouldBe("ALARM");
    }

    [Fact]
    public async Task DescribeAllAlarmHistoryAsync_AwsCliExampleOverTwoPages_ReturnsEveryItem()
    {
        var example = ReferenceData.Json("AwsCli/cloudwatch_describe-alarm-history.output.json")["AlarmHistoryItems"]!.AsArray();
        _fake.Responder = r => r.Json["NextToken"] is null
            ? FakeReply.Ok(new JsonObject { ["AlarmHistoryItems"] = new JsonArray(example[0]!.DeepClone()), ["NextToken"] = "n" }.ToJsonString())
            : FakeReply.Ok(new JsonObject { ["AlarmHistoryItems"] = new JsonArray(example[1]!.DeepClone()) }.ToJsonString());

        var items = await Client().DescribeAllAlarmHistoryAsync(new DescribeAlarmHistoryRequest { AlarmName = "myalarm" }, CancellationToken.None);

        items.Select(i => i.HistorySummary).ShouldBe(["Alarm updated from ALARM to OK", "Alarm updated from OK to ALARM"]);
    }

    [Fact]
    public async Task GetMetricDataAsync_AwsCliExampleQueries_AreSentAsTheyAre()
    {
        var queries = ReferenceData.Json("AwsCli/cloudwatch_get-metric-data.input.json").AsArray();
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("AwsCli/cloudwatch_get-metric-data.output-1.json"));
        var request = new GetMetricDataRequest
        {
            MetricDataQueries = System.Text.Json.JsonSerializer.Deserialize<List<MetricDataQuery>>(queries.ToJsonString(), Portal.Aws.Protocol.AwsJson.Options)!,
            StartTime = new DateTimeOffset(2024, 9, 29, 22, 10, 0, TimeSpan.Zero),
            EndTime = new DateTimeOffset(2024, 9, 29, 22, 15, 0, TimeSpan.Zero),
            ScanBy = "TimestampAscending",
            MaxDatapoints = 100800,
        };

        var response = await Client().GetMetricDataAsync(request, CancellationToken.None);

        var sent = _fake.Requests.Single();
        sent.Header("X-Amz-Target").ShouldBe("GraniteServiceVersion20100801.GetMetricData");
        var expected = new JsonObject
        {
            ["MetricDataQueries"] = queries.DeepClone(),
            ["StartTime"] = 1727647800,
            ["EndTime"] = 1727648100,
            ["ScanBy"] = "TimestampAscending",
            ["MaxDatapoints"] = 100800,
        };
        ShouldBeJson(sent.Body, expected.ToJsonString());
        var result = response.MetricDataResults!.Single();
        result.Label.ShouldBe("Avg Total IOPS");
        result.Timestamps.ShouldBe([new DateTimeOffset(2024, 9, 29, 22, 10, 0, TimeSpan.Zero)]);
        result.Values.ShouldBe([96.85]);
        result.StatusCode.ShouldBe("Complete");
    }

    [Fact]
    public async Task GetAllMetricDataAsync_TwoPages_JoinsEachQuerysDatapoints()
    {
        var page1 = ReferenceData.Json("Wire/get-metric-data.json").AsObject();
        page1["NextToken"] = "more";
        page1["MetricDataResults"]![0]!["StatusCode"] = "PartialData";
        _fake.Responder = r => r.Json["NextToken"] is null
            ? FakeReply.Ok(page1.ToJsonString())
            : FakeReply.Ok("""{"MetricDataResults":[{"Id":"result1","Label":"metric1","StatusCode":"Complete","Timestamps":[1795337940],"Values":["NaN"]}],"Messages":[]}""");

        var response = await Client().GetAllMetricDataAsync(new GetMetricDataRequest
        {
            MetricDataQueries = [new MetricDataQuery { Id = "result1", Expression = "SELECT 1" }],
            StartTime = At.AddHours(-1),
            EndTime = At,
        }, CancellationToken.None);

        var first = response.MetricDataResults![0];
        first.Id.ShouldBe("result1");
        first.Timestamps.ShouldBe([At.AddMinutes(1), At, At.AddMinutes(-1)]);
        first.Values!.Take(2).ShouldBe([50.0, 48.5]);
        double.IsNaN(first.Values![2]).ShouldBeTrue();
        first.StatusCode.ShouldBe("Complete");
        response.MetricDataResults[1].Values.ShouldBe([25.0]);
        _fake.Requests[1].Json["NextToken"]!.GetValue<string>().ShouldBe("more");
    }

    [Fact]
    public async Task ListTagsForResourceAsync_SendsTheArnAndParsesTheTags()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("Wire/list-tags-for-resource.json"));

        var tags = await Client().ListTagsForResourceAsync("arn:aws:cloudwatch:us-east-1:111111111111:alarm:a", CancellationToken.None);

        _fake.Requests.Single().Header("X-Amz-Target").ShouldBe("GraniteServiceVersion20100801.ListTagsForResource");
        ShouldBeJson(_fake.Requests.Single().Body, """{"ResourceARN":"arn:aws:cloudwatch:us-east-1:111111111111:alarm:a"}""");
        tags.ShouldBe([new Tag("tag1", "foo"), new Tag("tag2", "bar")]);
    }

    [Fact]
    public async Task ListTagsForResourceAsync_LocalStackNotFound_IsNull()
    {
        var body = ReferenceData.Json("Wire/wire-awsJson1_0.errors.json")["not-found-response"]!.ToJsonString();
        _fake.Responder = _ => new FakeReply(404, body, new Dictionary<string, string> { ["x-amzn-query-error"] = "ResourceNotFound;Sender" });

        var tags = await Client().ListTagsForResourceAsync("arn:aws:cloudwatch:us-east-1:111111111111:alarm:gone", CancellationToken.None);

        tags.ShouldBeNull();
    }
}
