using System.Text.Json.Nodes;
using Portal.Aws.CloudTrail;

namespace Portal.Aws.Tests.CloudTrail;

public sealed class CloudTrailClientTests : IAsyncLifetime
{
    private FakeAws _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeAws.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task LookupEventsAsync_SendsTheModelsParametersOverJson11()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("AwsCli/cloudtrail_lookup-events.output.json"));

        await TestAccounts.CloudTrail(_fake.Url).LookupEventsAsync(new LookupEventsRequest
        {
            LookupAttributes = [new LookupAttribute("EventName", "ConsoleLogin")],
            StartTime = new DateTimeOffset(2021, 11, 18, 0, 0, 0, TimeSpan.Zero),
            EndTime = new DateTimeOffset(2021, 11, 19, 0, 0, 0, 500, TimeSpan.Zero),
            MaxResults = 50,
            NextToken = "tok",
        }, CancellationToken.None);

        var sent = _fake.Requests.Single();
        sent.Method.ShouldBe("POST");
        sent.Path.ShouldBe("/");
        sent.Header("X-Amz-Target").ShouldBe("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents");
        sent.Header("Content-Type").ShouldBe("application/x-amz-json-1.1");
        sent.Header("Authorization")!.ShouldContain("/us-east-1/cloudtrail/aws4_request");
        JsonNode.DeepEquals(sent.Json, JsonNode.Parse("""
            {"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"ConsoleLogin"}],
             "StartTime":1637193600,"EndTime":1637280000.5,"MaxResults":50,"NextToken":"tok"}
            """)).ShouldBeTrue(sent.Body);
    }

    [Fact]
    public async Task LookupEventsAsync_AwsCliExample_ParsesTheEvent()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("AwsCli/cloudtrail_lookup-events.output.json"));

        var response = await TestAccounts.CloudTrail(_fake.Url).LookupEventsAsync(new LookupEventsRequest(), CancellationToken.None);

        var e = response.Events!.Single();
        e.EventId.ShouldBe("654ccbc0-ba0d-486a-9076-dbf7274677a7");
        e.EventName.ShouldBe("ConsoleLogin");
        e.Username.ShouldBe("my-session-name");
        e.EventTime.ShouldBe(new DateTimeOffset(2021, 11, 18, 17, 41, 2, TimeSpan.Zero));
        e.Resources.ShouldBeEmpty();
        JsonNode.Parse(e.CloudTrailEvent!)!["eventSource"]!.GetValue<string>().ShouldBe("signin.amazonaws.com");
        response.NextToken.ShouldBeNull();
        _fake.Requests.Single().Body.ShouldBe("{}");
    }

    [Fact]
    public async Task LookupEventsAsync_TwoAttributes_IsRefusedBeforeSending()
    {
        var request = new LookupEventsRequest { LookupAttributes = [new LookupAttribute("EventName", "a"), new LookupAttribute("Username", "b")] };

        await Should.ThrowAsync<ArgumentException>(() => TestAccounts.CloudTrail(_fake.Url).LookupEventsAsync(request, CancellationToken.None));

        _fake.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public async Task LookupEventsAsync_MaxResultsOutsideTheModel_IsRefused(int maxResults)
    {
        await Should.ThrowAsync<ArgumentException>(() =>
            TestAccounts.CloudTrail(_fake.Url).LookupEventsAsync(new LookupEventsRequest { MaxResults = maxResults }, CancellationToken.None));
    }

    [Fact]
    public async Task LookupEventsPagesAsync_FollowsNextToken()
    {
        _fake.Responder = r => (r.Json["NextToken"]?.GetValue<string>()) switch
        {
            null => FakeReply.Ok("""{"Events":[{"EventId":"1","EventTime":1637257262}],"NextToken":"a"}"""),
            "a" => FakeReply.Ok("""{"Events":[],"NextToken":"b"}"""),
            _ => FakeReply.Ok("""{"Events":[{"EventId":"2","EventTime":1637257200}]}"""),
        };

        var ids = new List<string?>();
        await foreach (var page in TestAccounts.CloudTrail(_fake.Url).LookupEventsPagesAsync(new LookupEventsRequest { MaxResults = 1 }, CancellationToken.None))
        {
            ids.AddRange(page.Events!.Select(e => e.EventId));
        }

        ids.ShouldBe(["1", "2"]);
        _fake.Requests.Select(r => r.Json["NextToken"]?.GetValue<string>()).ShouldBe([null, "a", "b"]);
    }

    [Fact]
    public async Task LookupEventsAsync_InvalidTimeRange_IsInvalidRequest()
    {
        _fake.Responder = _ => FakeReply.Error(400, "InvalidTimeRangeException", "Start time must be before end time.");

        var error = await Should.ThrowAsync<Portal.Core.Alarms.AlarmSourceException>(() =>
            TestAccounts.CloudTrail(_fake.Url).LookupEventsAsync(new LookupEventsRequest(), CancellationToken.None));

        error.Failure.ShouldBe(Portal.Core.Alarms.AwsFailure.InvalidRequest);
        error.Message.ShouldContain("CloudTrail rejected LookupEvents for account 'prod' as invalid (InvalidTimeRangeException)");
    }
}
