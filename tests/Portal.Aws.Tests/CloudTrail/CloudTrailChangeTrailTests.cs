using System.Globalization;
using System.Text.Json.Nodes;
using Portal.Aws.Accounts;
using Portal.Aws.CloudTrail;
using Portal.Core.Alarms;

namespace Portal.Aws.Tests.CloudTrail;

public sealed class CloudTrailChangeTrailTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private FakeAws _prod = null!;
    private FakeAws _shared = null!;

    public async Task InitializeAsync()
    {
        _prod = await FakeAws.StartAsync();
        _shared = await FakeAws.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _prod.DisposeAsync();
        await _shared.DisposeAsync();
    }

    private static TrailQuery Query(int limit = 100, string? next = null) => new() { From = At.AddDays(-1), To = At, Limit = limit, NextToken = next };

    /// <summary>
    /// CloudTrail's paging over <paramref name="events"/> (newest first): the NextToken is an offset, pages are
    /// MaxResults long, and a token outside the list is InvalidNextTokenException, as a real one past its expiry is.
    /// </summary>
    private static Func<RecordedRequest, FakeReply> Trail(IReadOnlyList<JsonObject> events) => r =>
    {
        var token = r.Json["NextToken"]?.GetValue<string>();
        var offset = token is null ? 0 : int.Parse(token[1..], CultureInfo.InvariantCulture);
        if (offset > events.Count)
        {
            return FakeReply.Error(400, "InvalidNextTokenException", "Invalid NextToken.");
        }

        var size = r.Json["MaxResults"]?.GetValue<int>() ?? 50;
        var page = new JsonObject { ["Events"] = new JsonArray(events.Skip(offset).Take(size).Select(e => (JsonNode)e.DeepClone()).ToArray()) };
        if (offset + size < events.Count)
        {
            page["NextToken"] = $"o{offset + size}";
        }

        return FakeReply.Ok(page.ToJsonString());
    };

    /// <summary>Events one every <paramref name="everySeconds"/> back from <see cref="At"/>, ids <c>{prefix}{n}</c>.</summary>
    private static List<JsonObject> Events(string prefix, int count, int everySeconds, int offsetSeconds = 0) => Enumerable.Range(0, count).Select(n => new JsonObject
    {
        ["EventId"] = $"{prefix}{n}",
        ["EventName"] = "PatchDeployment",
        ["ReadOnly"] = "false",
        ["EventTime"] = At.AddSeconds(-offsetSeconds - (n * everySeconds)).ToUnixTimeSeconds(),
        ["EventSource"] = "kubernetes.sandbox",
        ["Username"] = "portal",
        ["Resources"] = new JsonArray(new JsonObject { ["ResourceType"] = "apps/v1/Deployment", ["ResourceName"] = $"shop-prod/{prefix}" }),
        ["CloudTrailEvent"] = $$"""{"eventID":"{{prefix}}{{n}}","userIdentity":{"accessKeyId":"AKIAEXAMPLE{{n}}"},"readOnly":false}""",
    }).ToList();

    private CloudTrailChangeTrail Trail(params AwsAccountClients[] accounts) => new(new AwsAccounts(accounts));

    [Fact]
    public async Task LookupAsync_TwoAccounts_MergesNewestFirstAndPagesThroughEveryEventOnce()
    {
        var prod = Events("p", 120, 7);
        var shared = Events("s", 70, 11, offsetSeconds: 3);
        _prod.Responder = Trail(prod);
        _shared.Responder = Trail(shared);
        var trail = Trail(TestAccounts.Clients("prod", _prod.Url), TestAccounts.Clients("shared", _shared.Url));
        var expected = prod.Select(e => (Id: e["EventId"]!.GetValue<string>(), Time: e["EventTime"]!.GetValue<long>(), Account: "prod"))
            .Concat(shared.Select(e => (Id: e["EventId"]!.GetValue<string>(), Time: e["EventTime"]!.GetValue<long>(), Account: "shared")))
            .OrderByDescending(e => e.Time).ThenBy(e => e.Account, StringComparer.Ordinal).Select(e => e.Id).ToList();

        var seen = new List<TrailEvent>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await trail.LookupAsync("shop-prod", Query(limit: 25, next), CancellationToken.None);
            page.Events.Count.ShouldBeLessThanOrEqualTo(25);
            seen.AddRange(page.Events);
            next = page.NextToken;
            pages++;
        }
        while (next is not null && pages < 20);

        seen.Select(e => e.Id).ShouldBe(expected);
        pages.ShouldBe(8, "190 events in pages of 25");
        seen.Where(e => e.Id.StartsWith('s')).ShouldAllBe(e => e.Account == "shared");
    }

    [Fact]
    public async Task LookupAsync_Query_SendsTheAttributeAndRangeToEveryServingAccountOnly()
    {
        _prod.Responder = Trail(Events("p", 3, 60));
        _shared.Responder = Trail(Events("s", 3, 60));
        var trail = Trail(
            TestAccounts.Clients("prod", _prod.Url, environments: ["shop-prod"]),
            TestAccounts.Clients("shared", _shared.Url, environments: ["shop-dev"]));

        var page = await trail.LookupAsync("shop-prod", Query() with { Attribute = new TrailAttribute(TrailAttributeKey.ResourceName, "shop-prod/cart") },
            CancellationToken.None);

        page.Events.Select(e => e.Id).ShouldBe(["p0", "p1", "p2"]);
        page.NextToken.ShouldBeNull();
        _shared.Requests.ShouldBeEmpty();
        JsonNode.DeepEquals(_prod.Requests.Single().Json, JsonNode.Parse("""
            {"LookupAttributes":[{"AttributeKey":"ResourceName","AttributeValue":"shop-prod/cart"}],
             "StartTime":1795251600,"EndTime":1795338000,"MaxResults":50}
            """)).ShouldBeTrue(_prod.Requests.Single().Body);
    }

    [Fact]
    public async Task LookupAsync_Event_MapsEveryFieldAndSanitizesTheDetail()
    {
        _prod.Responder = r => r.Operation == "LookupEvents" ? FakeReply.Ok(ReferenceData.Text("AwsCli/cloudtrail_lookup-events.output.json")) : FakeReply.Ok("{}");
        var trail = Trail(TestAccounts.Clients("prod", _prod.Url));

        var e = (await trail.LookupAsync("any", Query(), CancellationToken.None)).Events.Single();

        e.Id.ShouldBe("654ccbc0-ba0d-486a-9076-dbf7274677a7");
        e.Time.ShouldBe(new DateTimeOffset(2021, 11, 18, 17, 41, 2, TimeSpan.Zero));
        e.EventName.ShouldBe("ConsoleLogin");
        e.EventSource.ShouldBe("", "the CLI example has no EventSource");
        e.Username.ShouldBe("my-session-name");
        e.ReadOnly.ShouldBeFalse();
        e.Resources.ShouldBeEmpty();
        e.Account.ShouldBe("prod");
        JsonNode.Parse(e.Detail!)!["eventType"]!.GetValue<string>().ShouldBe("AwsConsoleSignIn");
    }

    [Fact]
    public async Task LookupAsync_Detail_HasNoAccessKeyIdAndReadOnlyFallsBackToTheRecord()
    {
        var events = Events("p", 2, 60);
        events[0]["ReadOnly"] = "true";
        events[1].Remove("ReadOnly");
        events[1]["CloudTrailEvent"] = """{"eventID":"p1","readOnly":true,"responseElements":{"credentials":{"sessionToken":"FQoGEXAMPLE","accessKeyId":"ASIAEXAMPLE"}}}""";
        _prod.Responder = Trail(events);

        var page = await Trail(TestAccounts.Clients("prod", _prod.Url)).LookupAsync("any", Query(), CancellationToken.None);

        page.Events.Select(e => e.ReadOnly).ShouldBe([true, true]);
        page.Events.ShouldAllBe(e => !e.Detail!.Contains("AKIAEXAMPLE") && !e.Detail.Contains("ASIAEXAMPLE") && !e.Detail.Contains("FQoGEXAMPLE"));
        page.Events[0].Resources.ShouldBe([new TrailResource("apps/v1/Deployment", "shop-prod/p")]);
    }

    [Fact]
    public async Task LookupAsync_TokenNotMadeByTheTrail_IsInvalidRequest()
    {
        var trail = Trail(TestAccounts.Clients("prod", _prod.Url));

        var error = await Should.ThrowAsync<AlarmSourceException>(() => trail.LookupAsync("any", Query(next: "not-a-token!"), CancellationToken.None));

        error.Failure.ShouldBe(AwsFailure.InvalidRequest);
        _prod.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task LookupAsync_OneAccountDenied_FailsNamingItAndTheAction()
    {
        _prod.Responder = Trail(Events("p", 3, 60));
        _shared.Responder = _ => FakeReply.Error(400, "AccessDeniedException", "not authorized to perform cloudtrail:LookupEvents");
        var trail = Trail(TestAccounts.Clients("prod", _prod.Url), TestAccounts.Clients("shared", _shared.Url));

        var error = await Should.ThrowAsync<AlarmSourceException>(() => trail.LookupAsync("any", Query(), CancellationToken.None));

        error.Failure.ShouldBe(AwsFailure.AccessDenied);
        error.Message.ShouldStartWith("Account 'shared' is not allowed cloudtrail:LookupEvents");
    }

    [Fact]
    public async Task LookupAsync_NoAccountServesTheEnvironment_IsAnEmptyLastPage()
    {
        var trail = Trail(TestAccounts.Clients("prod", _prod.Url, environments: ["shop-prod"]));

        var page = await trail.LookupAsync("shop-dev", Query(), CancellationToken.None);

        page.Events.ShouldBeEmpty();
        page.NextToken.ShouldBeNull();
        _prod.Requests.ShouldBeEmpty();
    }
}
