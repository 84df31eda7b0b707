using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Portal.Aws.CloudWatch;

namespace Portal.Aws.Tests.CloudWatch;

/// <summary>
/// Names a person or a tag chose (alarm names and prefixes, resource ARNs, paging tokens) with line breaks, quotes and
/// JSON syntax: each reaches CloudWatch as one JSON string in a serialized body, never in a header, and the signature
/// covers exactly the bytes that arrived.
/// </summary>
public sealed class CloudWatchInjectionTests : IAsyncLifetime
{
    private static readonly string[] Hostile =
    [
        "a\r\nX-Amz-Target: GraniteServiceVersion20100801.DeleteAlarms", "b\"],\"AlarmNamePrefix\":\"\",\"x\":[\"", "c\nAuthorization: x",
        "d\\\"}", "é日😀\u2028\u0085", "\0\u001b[31m", "{\"AlarmNames\":[\"*\"]}", "e\r", " ",
    ];

    private static readonly HashSet<string> ProtocolHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Type", "Content-Length", "X-Amz-Target", "x-amzn-query-mode", "X-Amz-Date", "X-Amz-Content-SHA256",
        "Authorization", "X-Amz-Security-Token", "traceparent", "tracestate", "amz-sdk-invocation-id", "amz-sdk-request", "User-Agent",
    };

    private FakeAws _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeAws.StartAsync();
        _fake.Responder = _ => FakeReply.Ok("{}");
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task DescribeAlarmsAsync_HostileNames_EachOneStringInTheBodyAndNoneInAHeader()
    {
        await TestAccounts.CloudWatch(_fake.Url).DescribeAlarmsAsync(new DescribeAlarmsRequest
        {
            AlarmNames = Hostile,
            AlarmNamePrefix = Hostile[0],
            ChildrenOfAlarmName = Hostile[1],
            NextToken = Hostile[2],
        }, CancellationToken.None);

        var sent = AssertOneCleanRequest("DescribeAlarms");
        sent.Json.Select(kv => kv.Key).ShouldBe(["AlarmNames", "AlarmNamePrefix", "ChildrenOfAlarmName", "NextToken"]);
        sent.Json["AlarmNames"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(Hostile);
        sent.Json["AlarmNamePrefix"]!.GetValue<string>().ShouldBe(Hostile[0]);
        sent.Json["ChildrenOfAlarmName"]!.GetValue<string>().ShouldBe(Hostile[1]);
        sent.Json["NextToken"]!.GetValue<string>().ShouldBe(Hostile[2]);
    }

    [Fact]
    public async Task ListTagsForResourceAsync_HostileArn_OneStringInTheBody()
    {
        var arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + Hostile[0] + Hostile[1];

        await TestAccounts.CloudWatch(_fake.Url).ListTagsForResourceAsync(arn, CancellationToken.None);

        var sent = AssertOneCleanRequest("ListTagsForResource");
        sent.Json.ToJsonString().ShouldBe(new JsonObject { ["ResourceARN"] = arn }.ToJsonString());
    }

    [Fact]
    public async Task DescribeAlarmsAsync_AnyNames_BodyRoundTripsAndHeadersStayTheProtocols()
    {
        var alphabet = "aZ0-_/:.\"\\{}[],\r\n\t\0 é日😀\u2028\u0085".EnumerateRunes().Select(r => r.ToString()).ToArray();
        var names = Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Gen.Elements(alphabet), n)).Select(string.Concat);
        var client = TestAccounts.CloudWatch(_fake.Url);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), Prop.ForAll(Gen.ArrayOf(names, 3).ToArbitrary(), v =>
        {
            var before = _fake.Requests.Count;
            client.DescribeAlarmsAsync(new DescribeAlarmsRequest { AlarmNames = [v[0], v[1]], AlarmNamePrefix = v[2] }, CancellationToken.None).GetAwaiter().GetResult();

            var sent = AssertOneCleanRequest("DescribeAlarms", before);
            sent.Json["AlarmNames"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe([v[0], v[1]]);
            sent.Json["AlarmNamePrefix"]!.GetValue<string>().ShouldBe(v[2]);
        }));
    }

    /// <summary>
    /// The one request recorded after the first <paramref name="before"/>: the operation's own target, only protocol
    /// headers, none carrying a control character, and a payload hash that is the hash of the body that arrived.
    /// </summary>
    private RecordedRequest AssertOneCleanRequest(string operation, int before = 0)
    {
        var requests = _fake.Requests;
        requests.Count.ShouldBe(before + 1);
        var sent = requests[^1];
        sent.Header("X-Amz-Target").ShouldBe($"GraniteServiceVersion20100801.{operation}");
        sent.Headers.Keys.ShouldAllBe(name => ProtocolHeaders.Contains(name));
        sent.Headers.Values.ShouldAllBe(value => value.All(c => c >= ' ' && c < 127));
        sent.Header("X-Amz-Content-SHA256").ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sent.Body))));
        return sent;
    }
}
