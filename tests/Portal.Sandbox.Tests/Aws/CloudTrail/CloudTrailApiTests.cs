using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Sandbox.Tests.Aws.CloudTrail;

/// <summary>LookupEvents on the wire over the trail of the alarms the sandbox created for three services.</summary>
public sealed class CloudTrailApiTests : IAsyncLifetime
{
    private ThreeServices _services = default!;
    private AwsWire _wire = default!;

    public async Task InitializeAsync()
    {
        _services = await ThreeServices.StartAsync();
        _wire = _services.Wire;
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task LookupEvents_SeveralPages_EveryEventOnceNewestFirst()
    {
        var events = new List<JsonObject>();
        string? token = null;
        var pages = 0;
        do
        {
            var answer = await _wire.CloudTrailAsync("LookupEvents", new JsonObject { ["MaxResults"] = 5, ["NextToken"] = token }.ToJsonString());
            answer.Status.ShouldBe(HttpStatusCode.OK);
            answer.ContentType.ShouldBe("application/x-amz-json-1.1");
            answer.QueryError.ShouldBeNull("CloudTrail is not query-compatible");
            events.AddRange(answer.Body["Events"]!.AsArray().Select(e => e!.AsObject()));
            token = (string?)answer.Body["NextToken"];
            pages++;
        }
        while (token is not null);

        pages.ShouldBe(3);
        events.Select(e => (string?)e["EventId"]).ShouldBeUnique();
        events.Count.ShouldBe(12);
        events.Select(e => (double)e["EventTime"]!).ShouldBeInOrder(SortDirection.Descending);
        events.Select(e => (string?)e["Resources"]![0]!["ResourceName"]).Order(StringComparer.Ordinal).First().ShouldBe("team/cart/5xx-rate");
    }

    [Fact]
    public async Task LookupEvents_Event_HasTheModelsShapeAndARealisticCloudTrailEvent()
    {
        var answer = await _wire.CloudTrailAsync("LookupEvents", """{ "LookupAttributes": [ { "AttributeKey": "ResourceName", "AttributeValue": "team/orders/restarts" } ] }""");

        var e = answer.Body["Events"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
        ((string?)e["EventName"]).ShouldBe("PutMetricAlarm");
        ((string?)e["EventSource"]).ShouldBe("monitoring.amazonaws.com");
        ((string?)e["Username"]).ShouldBe("sandbox");
        e["ReadOnly"]!.GetValueKind().ShouldBe(JsonValueKind.String);
        ((string?)e["ReadOnly"]).ShouldBe("false");
        e["EventTime"]!.GetValueKind().ShouldBe(JsonValueKind.Number);
        e["Resources"]!.ToJsonString().ShouldBe("""[{"ResourceType":"AWS::CloudWatch::Alarm","ResourceName":"team/orders/restarts"}]""");
        var detail = JsonNode.Parse((string)e["CloudTrailEvent"]!)!.AsObject();
        var real = JsonNode.Parse((string)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "cloudtrail_lookup-events.output.json")))!["Events"]![0]!["CloudTrailEvent"]!)!.AsObject();
        real.Select(p => p.Key).Except(["additionalEventData"]).ShouldBeSubsetOf(detail.Select(p => p.Key));
        ((string?)detail["eventID"]).ShouldBe((string?)e["EventId"]);
        ((string?)detail["eventType"]).ShouldBe("AwsApiCall");
        ((bool?)detail["managementEvent"]).ShouldBe(true);
        ((string?)detail["recipientAccountId"]).ShouldBe("000000000000");
        ((string?)detail["requestParameters"]!["alarmName"]).ShouldBe("team/orders/restarts");
    }

    [Theory]
    [InlineData("EventName", "PutMetricAlarm", 12)]
    [InlineData("EventName", "DeleteAlarms", 0)]
    [InlineData("Username", "sandbox", 12)]
    [InlineData("Username", "portal", 0)]
    [InlineData("ReadOnly", "false", 12)]
    [InlineData("ReadOnly", "true", 0)]
    [InlineData("EventSource", "monitoring.amazonaws.com", 12)]
    [InlineData("ResourceType", "AWS::CloudWatch::Alarm", 12)]
    public async Task LookupEvents_OneAttribute_Filters(string key, string value, int expected)
    {
        var answer = await _wire.CloudTrailAsync("LookupEvents", $$"""{ "LookupAttributes": [ { "AttributeKey": "{{key}}", "AttributeValue": "{{value}}" } ] }""");

        answer.Body["Events"]!.AsArray().Count.ShouldBe(expected);
    }

    [Fact]
    public async Task LookupEvents_TimeRange_Filters()
    {
        var now = _services.Cluster.Clock.GetUtcNow().ToUnixTimeSeconds();

        (await _wire.CloudTrailAsync("LookupEvents", $$"""{ "StartTime": {{now - 10}}, "EndTime": {{now + 10}} }""")).Body["Events"]!.AsArray().Count.ShouldBe(12);
        (await _wire.CloudTrailAsync("LookupEvents", $$"""{ "StartTime": {{now - 100}}, "EndTime": {{now - 10}} }""")).Body["Events"]!.AsArray().ShouldBeEmpty();
        (await _wire.CloudTrailAsync("LookupEvents", """{ "EventCategory": "insight" }""")).Body["Events"]!.AsArray().ShouldBeEmpty("the sandbox has no Insights events");
    }

    [Theory]
    [InlineData("""{ "MaxResults": 51 }""", "InvalidMaxResultsException")]
    [InlineData("""{ "MaxResults": 0 }""", "InvalidMaxResultsException")]
    [InlineData("""{ "LookupAttributes": [ { "AttributeKey": "EventName", "AttributeValue": "a" }, { "AttributeKey": "Username", "AttributeValue": "b" } ] }""", "InvalidLookupAttributesException")]
    [InlineData("""{ "StartTime": 1795000000, "EndTime": 1794000000 }""", "InvalidTimeRangeException")]
    [InlineData("""{ "EventCategory": "data" }""", "InvalidEventCategoryException")]
    [InlineData("""{ "NextToken": "bm90IGEgdG9rZW4" }""", "InvalidNextTokenException")]
    public async Task LookupEvents_BadInput_IsTheOperationsOwnException(string json, string error)
    {
        var answer = await _wire.CloudTrailAsync("LookupEvents", json);

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        ((string?)answer.Body["__type"]).ShouldBe($"com.amazonaws.cloudtrail.v20131101#{error}");
        ((string?)answer.Body["message"]).ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task LookupEvents_TokenOfAnotherQuery_IsInvalidNextToken()
    {
        var first = await _wire.CloudTrailAsync("LookupEvents", """{ "MaxResults": 2 }""");

        var answer = await _wire.CloudTrailAsync("LookupEvents", new JsonObject
        {
            ["MaxResults"] = 2,
            ["LookupAttributes"] = new JsonArray(new JsonObject { ["AttributeKey"] = "Username", ["AttributeValue"] = "sandbox" }),
            ["NextToken"] = (string)first.Body["NextToken"]!,
        }.ToJsonString());

        ((string?)answer.Body["__type"]).ShouldBe("com.amazonaws.cloudtrail.v20131101#InvalidNextTokenException");
    }
}
