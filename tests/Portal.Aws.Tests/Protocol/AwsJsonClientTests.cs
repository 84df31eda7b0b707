using System.Text.Json.Nodes;
using Portal.Aws.Protocol;
using Portal.Core.Alarms;

namespace Portal.Aws.Tests.Protocol;

public sealed class AwsJsonClientTests : IAsyncLifetime
{
    private FakeAws _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeAws.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private sealed record Input(string? Name, DateTimeOffset? At);

    private sealed record Output(string? Name, DateTimeOffset? At);

    [Fact]
    public async Task SendAsync_QueryCompatibleService_PostsToRootWithTargetContentTypeAndQueryModeAsTheProtocolTestSays()
    {
        // input-json_1_0-query-compatible.json: QueryCompatibleAwsJson10CborSendsQueryModeHeader.
        var expected = ReferenceData.Json("ProtocolTests/input-json_1_0-query-compatible.json")[0]!["cases"]![0]!["serialized"]!;
        _fake.Responder = _ => FakeReply.Ok("{}");
        var service = new AwsJsonService("Test", "querycompatiblejsonrpc10", "test", "QueryCompatibleJsonRpc10", "application/x-amz-json-1.0", QueryCompatible: true);
        var client = new AwsJsonClient(TestAccounts.Transport(_fake.Url, "querycompatiblejsonrpc10"), service);

        await client.SendAsync<object, Output>("QueryCompatibleOperation", new { }, CancellationToken.None);

        var sent = _fake.Requests.Single();
        sent.Method.ShouldBe(expected["method"]!.GetValue<string>());
        sent.Path.ShouldBe(expected["uri"]!.GetValue<string>());
        sent.Body.ShouldBe(expected["body"]!.GetValue<string>());
        foreach (var (name, value) in expected["headers"]!.AsObject())
        {
            sent.Header(name).ShouldBe(value!.GetValue<string>(), name);
        }
    }

    [Fact]
    public async Task SendAsync_CloudTrail_SendsJson11WithoutTheQueryModeHeader()
    {
        _fake.Responder = _ => FakeReply.Ok("{}");
        var client = new AwsJsonClient(TestAccounts.Transport(_fake.Url, "cloudtrail"), AwsJsonService.CloudTrail);

        await client.SendAsync<object, Output>("LookupEvents", new { }, CancellationToken.None);

        var sent = _fake.Requests.Single();
        sent.Header("X-Amz-Target").ShouldBe("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents");
        sent.Header("Content-Type").ShouldBe("application/x-amz-json-1.1");
        sent.Header("x-amzn-query-mode").ShouldBeNull();
        sent.Header("Authorization")!.ShouldContain($"Credential={TestAccounts.AccessKey}/");
        sent.Header("Authorization")!.ShouldContain("/us-east-1/cloudtrail/aws4_request");
    }

    [Fact]
    public async Task SendAsync_EndpointWithAPath_PostsBelowIt()
    {
        _fake.Responder = _ => FakeReply.Ok("{}");
        var client = new AwsJsonClient(TestAccounts.Transport(new Uri(_fake.Url, "/aws/cloudwatch"), "monitoring"), AwsJsonService.CloudWatch);

        await client.SendAsync<object, Output>("DescribeAlarms", new { }, CancellationToken.None);

        _fake.Requests.Single().Path.ShouldBe("/aws/cloudwatch/");
    }

    [Fact]
    public async Task SendAsync_Request_SerializesModelNamesLeavesAbsentMembersOutAndSendsEpochSeconds()
    {
        _fake.Responder = _ => FakeReply.Ok("""{"Name":"back","At":1398796238.5}""");
        var client = new AwsJsonClient(TestAccounts.Transport(_fake.Url, "monitoring"), AwsJsonService.CloudWatch);

        var output = await client.SendAsync<Input, Output>("Op", new Input(null, DateTimeOffset.FromUnixTimeSeconds(946845296)), CancellationToken.None);

        _fake.Requests.Single().Body.ShouldBe("""{"At":946845296}""");
        output.ShouldBe(new Output("back", DateTimeOffset.FromUnixTimeMilliseconds(1398796238500)));
    }

    [Fact]
    public async Task SendAsync_UnreadableSuccessBody_IsUnavailableNamingTheAccount()
    {
        _fake.Responder = _ => FakeReply.Ok("<html>proxy</html>");
        var client = new AwsJsonClient(TestAccounts.Transport(_fake.Url, "monitoring"), AwsJsonService.CloudWatch);

        var error = await Should.ThrowAsync<AlarmSourceException>(() => client.SendAsync<object, Output>("DescribeAlarms", new { }, CancellationToken.None));

        error.Failure.ShouldBe(AwsFailure.Unavailable);
        error.Message.ShouldContain("account 'prod'");
    }

    [Fact]
    public async Task SendOrAbsentAsync_ErrorMarkedAbsent_ReturnsNullWithoutRetrying()
    {
        _fake.Responder = _ => FakeReply.Error(404, "com.amazonaws.cloudwatch.v2010_08_01#ResourceNotFound", "gone", "ResourceNotFound;Sender");
        var client = new AwsJsonClient(TestAccounts.Transport(_fake.Url, "monitoring"), AwsJsonService.CloudWatch);

        var output = await client.SendOrAbsentAsync<object, Output>("ListTagsForResource", new { }, e => e.Code == "ResourceNotFound", CancellationToken.None);

        output.ShouldBeNull();
        _fake.Requests.Count.ShouldBe(1);
        JsonNode.Parse(_fake.Requests[0].Body)!.ToJsonString().ShouldBe("{}");
    }
}
