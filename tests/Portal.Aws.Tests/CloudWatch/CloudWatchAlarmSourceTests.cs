using System.Text.Json.Nodes;
using Portal.Aws.Accounts;
using Portal.Aws.CloudWatch;
using Portal.Core.Alarms;
using Portal.Testing;
using Domain = Portal.Core.Alarms;

namespace Portal.Aws.Tests.CloudWatch;

public sealed class CloudWatchAlarmSourceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private FakeAws _prod = null!;
    private FakeAws _dev = null!;
    private readonly FakeClock _clock = new(At);

    public async Task InitializeAsync()
    {
        _prod = await FakeAws.StartAsync();
        _dev = await FakeAws.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _prod.DisposeAsync();
        await _dev.DisposeAsync();
    }

    private CloudWatchAlarmSource Source(params (string Name, FakeAws Fake)[] accounts) =>
        new(new AwsAccounts(accounts.Select(a => TestAccounts.Clients(a.Name, a.Fake.Url)).ToList()), _clock);

    /// <summary>DescribeAlarms answers from the wire fixtures, ListTagsForResource a tag naming the alarm.</summary>
    private static FakeReply Answer(RecordedRequest r, params string[] fixtures) => r.Operation switch
    {
        "DescribeAlarms" => FakeReply.Ok(Merge(fixtures)),
        "ListTagsForResource" => FakeReply.Ok(new JsonObject
        {
            ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "portal:service", ["Value"] = r.Json["ResourceARN"]!.GetValue<string>().Split('/')[^1] }),
        }.ToJsonString()),
        _ => FakeReply.Error(400, "InvalidAction", r.Operation),
    };

    private static string Merge(string[] fixtures)
    {
        var metric = new JsonArray();
        var composite = new JsonArray();
        foreach (var fixture in fixtures)
        {
            var page = ReferenceData.Json(fixture);
            foreach (var a in page["MetricAlarms"]!.AsArray())
            {
                metric.Add(a!.DeepClone());
            }

            foreach (var a in page["CompositeAlarms"]!.AsArray())
            {
                composite.Add(a!.DeepClone());
            }
        }

        return new JsonObject { ["MetricAlarms"] = metric, ["CompositeAlarms"] = composite }.ToJsonString();
    }

    [Fact]
    public async Task ListAsync_OneAccount_AsksForBothKindsAndMapsMetricMathAndCompositeAlarmsWithTags()
    {
        _prod.Responder = r => Answer(r, "Wire/describe-alarms.metric.json", "Wire/describe-alarms.metric-math.json", "Wire/describe-alarms.composite.json");

        var listing = await Source(("prod", _prod)).ListAsync(CancellationToken.None);

        JsonNode.DeepEquals(_prod.RequestsFor("DescribeAlarms").Single().Json, JsonNode.Parse("""{"AlarmTypes":["MetricAlarm","CompositeAlarm"],"MaxRecords":100}"""))
            .ShouldBeTrue();
        listing.Problems.ShouldBeEmpty();
        listing.Alarms.Select(a => a.Name).ShouldBe(["shop-prod/cart/latency-high", "shop-prod/cart/iops-high", "shop-prod/cart/any-down"]);
        listing.Alarms.ShouldAllBe(a => a.Account == "prod");

        var single = listing.Alarms[0];
        single.Kind.ShouldBe(AlarmKind.Metric);
        single.State.ShouldBe(AlarmState.Alarm);
        single.StateChangedAt.ShouldBe(At.AddSeconds(10.5));
        single.Description.ShouldBe("testing cloudwatch alarms");
        single.Tags.ShouldBe(new Dictionary<string, string> { ["portal:service"] = "latency-high" });
        single.Condition.ShouldNotBeNull();
        var metric = single.Condition.Metric.ShouldNotBeNull();
        (metric.Namespace, metric.MetricName, metric.Statistic, metric.PeriodSeconds, metric.Unit).ShouldBe(("Portal/Test", "my-metric1", "Average", 10, "Seconds"));
        metric.Dimensions.ShouldBe([new MetricDimension("InstanceId", "abc")]);
        single.Condition.PeriodSeconds.ShouldBe(10);
        single.Condition.EvaluationPeriods.ShouldBe(1);
        single.Condition.DatapointsToAlarm.ShouldBe(1, "CloudWatch defaults DatapointsToAlarm to EvaluationPeriods");
        single.Condition.Threshold.ShouldBe(21.0);
        single.Condition.Comparison.ShouldBe(AlarmComparison.GreaterThanThreshold);
        single.Condition.TreatMissingData.ShouldBe(MissingDataTreatment.Ignore);

        var math = listing.Alarms[1];
        math.State.ShouldBe(AlarmState.Ok);
        math.ActionsEnabled.ShouldBeFalse();
        math.StateChangedAt.ShouldBe(At.AddSeconds(-2400), "StateTransitionedTimestamp wins over StateUpdatedTimestamp");
        math.Condition!.Metric.ShouldBeNull();
        math.Condition.Queries.Select(q => (q.Id, q.Expression, q.ReturnData)).ShouldBe([("m3", "(m1+m2)/300", true), ("m1", null, false), ("m2", null, false)]);
        math.Condition.Queries[1].Metric!.MetricName.ShouldBe("EBSReadOps");
        math.Condition.PeriodSeconds.ShouldBe(300, "a metric-math alarm's period is its metrics' period");
        math.Condition.EvaluationPeriods.ShouldBe(3);
        math.Condition.DatapointsToAlarm.ShouldBe(2);
        math.Condition.TreatMissingData.ShouldBe(MissingDataTreatment.NotBreaching);

        var composite = listing.Alarms[2];
        composite.Kind.ShouldBe(AlarmKind.Composite);
        composite.Condition.ShouldBeNull();
        composite.Rule!.ShouldContain("ALARM(\"arn:aws:cloudwatch:us-east-1:111111111111:alarm:simple-alarm-1\")");
        composite.Tags["portal:service"].ShouldBe("any-down");
    }

    [Fact]
    public async Task ListAsync_TagsWithinTenMinutes_AreReadOnceThenAgainAfterwards()
    {
        _prod.Responder = r => Answer(r, "Wire/describe-alarms.metric.json", "Wire/describe-alarms.composite.json");
        var source = Source(("prod", _prod));

        await source.ListAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(9));
        await source.ListAsync(CancellationToken.None);
        _prod.RequestsFor("ListTagsForResource").Count.ShouldBe(2, "one per alarm, then from the cache");

        _clock.Advance(TimeSpan.FromMinutes(2));
        var listing = await source.ListAsync(CancellationToken.None);

        _prod.RequestsFor("ListTagsForResource").Count.ShouldBe(4);
        _prod.RequestsFor("DescribeAlarms").Count.ShouldBe(3);
        listing.Alarms.ShouldAllBe(a => a.Tags.ContainsKey("portal:service"));
    }

    [Fact]
    public async Task ListAsync_OneAccountDenied_ListsTheOthersAndNamesTheFailedOne()
    {
        _prod.Responder = r => Answer(r, "Wire/describe-alarms.metric.json");
        _dev.Responder = _ => FakeReply.Error(400, "com.amazonaws.cloudwatch.v2010_08_01#AccessDenied", "not authorized", "AccessDenied;Sender");

        var listing = await Source(("prod", _prod), ("dev", _dev)).ListAsync(CancellationToken.None);

        listing.Alarms.Select(a => (a.Account, a.Name)).ShouldBe([("prod", "shop-prod/cart/latency-high")]);
        listing.Problems.Single().ShouldStartWith("Account 'dev' is not allowed cloudwatch:DescribeAlarms");
    }

    [Fact]
    public async Task ListAsync_TagsDenied_ListsTheAlarmsWithoutTagsAndSaysSo()
    {
        _prod.Responder = r => r.Operation == "ListTagsForResource"
            ? FakeReply.Error(400, "AccessDenied", "no tags for you", "AccessDenied;Sender")
            : Answer(r, "Wire/describe-alarms.metric.json", "Wire/describe-alarms.composite.json");

        var listing = await Source(("prod", _prod)).ListAsync(CancellationToken.None);

        listing.Alarms.Count.ShouldBe(2);
        listing.Alarms.ShouldAllBe(a => a.Tags.Count == 0);
        listing.Problems.Single().ShouldContain("cloudwatch:ListTagsForResource");
        listing.Problems.Single().ShouldContain("without their tags");
    }

    [Fact]
    public async Task ListAsync_EveryAccountFails_ThrowsWithEachAccountsMessage()
    {
        _prod.Responder = _ => FakeReply.Error(400, "ExpiredTokenException", "The security token included in the request is expired", "ExpiredToken;Sender");
        _dev.Responder = _ => FakeReply.Error(400, "AccessDeniedException", "denied");

        var error = await Should.ThrowAsync<AlarmSourceException>(() => Source(("prod", _prod), ("dev", _dev)).ListAsync(CancellationToken.None));

        error.Failure.ShouldBe(AwsFailure.Credentials);
        error.Message.ShouldContain("The AWS credentials for account 'prod' have expired");
        error.Message.ShouldContain("Account 'dev' is not allowed cloudwatch:DescribeAlarms");
    }

    [Fact]
    public async Task ListAsync_NoAccounts_IsEmpty()
    {
        var listing = await Source().ListAsync(CancellationToken.None);

        listing.Alarms.ShouldBeEmpty();
        listing.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task HistoryAsync_AllPages_AsksForTheAlarmInItsAccountAndReturnsNewestFirstWithStates()
    {
        var example = ReferenceData.Json("AwsCli/cloudwatch_describe-alarm-history.output.json")["AlarmHistoryItems"]!.AsArray();
        // Older item first on the first page, to show the result is sorted newest first whatever the order.
        _dev.Responder = r => r.Json["NextToken"] is null
            ? FakeReply.Ok(new JsonObject { ["AlarmHistoryItems"] = new JsonArray(example[1]!.DeepClone()), ["NextToken"] = "p2" }.ToJsonString())
            : FakeReply.Ok(new JsonObject
            {
                ["AlarmHistoryItems"] = new JsonArray(example[0]!.DeepClone(),
                    new JsonObject { ["Timestamp"] = 1397069950, ["HistoryItemType"] = "ConfigurationUpdate", ["HistorySummary"] = "Alarm \"myalarm\" updated" }),
            }.ToJsonString());
        var alarm = new Alarm
        {
            Name = "myalarm", Arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:myalarm", Kind = AlarmKind.Metric, Account = "dev",
            State = AlarmState.Ok, StateChangedAt = At,
        };
        var from = new DateTimeOffset(2014, 4, 9, 0, 0, 0, TimeSpan.Zero);

        var history = await Source(("prod", _prod), ("dev", _dev)).HistoryAsync(alarm, from, from.AddDays(1), CancellationToken.None);

        _prod.Requests.ShouldBeEmpty();
        JsonNode.DeepEquals(_dev.Requests[0].Json, JsonNode.Parse("""
            {"AlarmName":"myalarm","AlarmTypes":["MetricAlarm"],"StartDate":1397001600,"EndDate":1397088000,"MaxRecords":100,"ScanBy":"TimestampDescending"}
            """)).ShouldBeTrue(_dev.Requests[0].Body);
        history.Select(h => (h.Kind, h.OldState, h.NewState)).ShouldBe([
            (AlarmHistoryKind.ConfigurationUpdate, (AlarmState?)null, (AlarmState?)null),
            (AlarmHistoryKind.StateUpdate, AlarmState.Alarm, AlarmState.Ok),
            (AlarmHistoryKind.StateUpdate, AlarmState.Ok, AlarmState.Alarm),
        ]);
        history[1].Timestamp.ShouldBe(new DateTimeOffset(2014, 4, 9, 18, 59, 6, 442, TimeSpan.Zero));
        history[1].Summary.ShouldBe("Alarm updated from ALARM to OK");
    }

    [Fact]
    public async Task HistoryAsync_CompositeAlarm_AsksForCompositeHistory()
    {
        _prod.Responder = _ => FakeReply.Ok("""{"AlarmHistoryItems":[]}""");
        var alarm = new Alarm { Name = "c", Arn = "arn", Kind = AlarmKind.Composite, Account = "prod", State = AlarmState.Ok, StateChangedAt = At };

        await Source(("prod", _prod)).HistoryAsync(alarm, At.AddHours(-1), At, CancellationToken.None);

        _prod.Requests.Single().Json["AlarmTypes"]!.ToJsonString().ShouldBe("""["CompositeAlarm"]""");
    }

    [Fact]
    public async Task HistoryAsync_UnknownAccount_IsInvalidRequest()
    {
        var alarm = new Alarm { Name = "x", Arn = "arn", Kind = AlarmKind.Metric, Account = "elsewhere", State = AlarmState.Ok, StateChangedAt = At };

        var error = await Should.ThrowAsync<AlarmSourceException>(() => Source(("prod", _prod)).HistoryAsync(alarm, At.AddHours(-1), At, CancellationToken.None));

        error.Failure.ShouldBe(AwsFailure.InvalidRequest);
        error.Message.ShouldContain("'elsewhere'");
    }

    [Fact]
    public async Task MetricAsync_SingleMetricAlarm_AsksForItsMetricAtItsPeriodAndReturnsPointsOldestFirst()
    {
        var alarm = await ListedAsync("Wire/describe-alarms.metric.json");
        _prod.Responder = r => r.Json["NextToken"] is null
            ? FakeReply.Ok("""{"MetricDataResults":[{"Id":"m1","Label":"my-metric1","StatusCode":"PartialData","Timestamps":[1795338020,1795338010],"Values":[3.0,2.0]}],"NextToken":"n"}""")
            : FakeReply.Ok("""{"MetricDataResults":[{"Id":"m1","Label":"my-metric1","StatusCode":"Complete","Timestamps":[1795338000],"Values":[1.0]}]}""");

        var series = await Source(("prod", _prod)).MetricAsync(alarm, At, At.AddMinutes(1), CancellationToken.None);

        JsonNode.DeepEquals(_prod.RequestsFor("GetMetricData")[0].Json, JsonNode.Parse("""
            {"MetricDataQueries":[{"Id":"m1","MetricStat":{"Metric":{"Namespace":"Portal/Test","MetricName":"my-metric1",
              "Dimensions":[{"Name":"InstanceId","Value":"abc"}]},"Period":10,"Stat":"Average","Unit":"Seconds"},"ReturnData":true}],
             "StartTime":1795338000,"EndTime":1795338060,"ScanBy":"TimestampAscending"}
            """)).ShouldBeTrue(_prod.RequestsFor("GetMetricData")[0].Body);
        series.ShouldNotBeNull();
        series.Label.ShouldBe("my-metric1");
        series.PeriodSeconds.ShouldBe(10);
        series.Points.ShouldBe([new MetricPoint(At, 1.0), new MetricPoint(At.AddSeconds(10), 2.0), new MetricPoint(At.AddSeconds(20), 3.0)]);
    }

    [Fact]
    public async Task MetricAsync_MetricMathAlarm_SendsEveryQueryButReturnsOnlyTheComparedOne()
    {
        var alarm = await ListedAsync("Wire/describe-alarms.metric-math.json");
        _prod.Responder = _ => FakeReply.Ok(ReferenceData.Text("AwsCli/cloudwatch_get-metric-data.output-1.json"));

        var series = await Source(("prod", _prod)).MetricAsync(alarm, At.AddHours(-1), At, CancellationToken.None);

        var sent = _prod.RequestsFor("GetMetricData").Single().Json["MetricDataQueries"]!.AsArray();
        sent.Select(q => (q!["Id"]!.GetValue<string>(), q["ReturnData"]!.GetValue<bool>())).ShouldBe([("m3", true), ("m1", false), ("m2", false)]);
        sent[0]!["Expression"]!.GetValue<string>().ShouldBe("(m1+m2)/300");
        sent[1]!["MetricStat"]!["Period"]!.GetValue<int>().ShouldBe(300);
        series!.Label.ShouldBe("Avg Total IOPS");
        series.PeriodSeconds.ShouldBe(300);
        series.Points.ShouldBe([new MetricPoint(new DateTimeOffset(2024, 9, 29, 22, 10, 0, TimeSpan.Zero), 96.85)]);
    }

    [Fact]
    public async Task MetricAsync_AnomalyDetectionAlarm_ReturnsTheMetricNotTheBand()
    {
        var condition = new AlarmCondition
        {
            Queries =
            [
                new AlarmMetricQuery("m1", new Domain.MetricStat("AWS/EC2", "CPUUtilization", [], "Average", 60), null, "CPU", true),
                new AlarmMetricQuery("ad1", null, "ANOMALY_DETECTION_BAND(m1, 2)", "band", true),
            ],
            ThresholdMetricId = "ad1",
            PeriodSeconds = 60,
            EvaluationPeriods = 1,
            DatapointsToAlarm = 1,
            Comparison = AlarmComparison.GreaterThanUpperThreshold,
        };
        var alarm = new Alarm { Name = "ad", Arn = "arn", Kind = AlarmKind.Metric, Account = "prod", State = AlarmState.Ok, StateChangedAt = At, Condition = condition };
        _prod.Responder = _ => FakeReply.Ok("""{"MetricDataResults":[{"Id":"m1","Label":"CPU","Timestamps":[1795338000],"Values":[12.5],"StatusCode":"Complete"}]}""");

        var series = await Source(("prod", _prod)).MetricAsync(alarm, At.AddHours(-1), At, CancellationToken.None);

        var sent = _prod.Requests.Single().Json["MetricDataQueries"]!.AsArray();
        sent.Select(q => q!["ReturnData"]!.GetValue<bool>()).ShouldBe([true, false]);
        series!.Points.ShouldBe([new MetricPoint(At, 12.5)]);
    }

    [Fact]
    public async Task MetricAsync_CompositeAlarm_IsNullWithoutACall()
    {
        var alarm = new Alarm { Name = "c", Arn = "arn", Kind = AlarmKind.Composite, Account = "prod", State = AlarmState.Ok, StateChangedAt = At };

        (await Source(("prod", _prod)).MetricAsync(alarm, At.AddHours(-1), At, CancellationToken.None)).ShouldBeNull();

        _prod.Requests.ShouldBeEmpty();
    }

    private async Task<Alarm> ListedAsync(string fixture)
    {
        await using var fake = await FakeAws.StartAsync();
        fake.Responder = r => Answer(r, fixture);
        var alarm = (await Source(("prod", fake)).ListAsync(CancellationToken.None)).Alarms.Single();
        return alarm;
    }
}
