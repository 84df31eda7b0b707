using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Sandbox.Aws;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Tests.Kubernetes;
using Portal.Testing;

namespace Portal.Sandbox.Tests.Aws;

/// <summary>The endpoint's authentication: every request SigV4-signed with the sandbox's key, refused as AWS refuses.</summary>
public sealed class SandboxAwsTests : IAsyncLifetime
{
    private const string Describe = "{}";
    private readonly TempDirectory _dir = new("sandbox-aws");
    private readonly TestCluster _cluster = new();
    private SandboxAws _aws = default!;
    private AwsWire _wire = default!;

    public async Task InitializeAsync()
    {
        _aws = await SandboxAws.StartAsync(_cluster.Store, _dir.Path, _cluster.Clock, SandboxTimings.Fast, NullLoggerFactory.Instance);
        _wire = new AwsWire(_aws.Url, _aws.AccessKeyId, _aws.SecretAccessKey, _cluster.Clock);
    }

    public async Task DisposeAsync()
    {
        await _aws.DisposeAsync();
        await _cluster.DisposeAsync();
        _dir.Dispose();
    }

    private Task<AwsAnswer> DescribeAlarmsAsync(bool sign = true, string? keyId = null, string? secret = null, TimeProvider? signedAt = null, string signingName = "monitoring",
        string region = "us-east-1", Func<HttpRequestMessage, Task>? afterSigning = null) =>
        _wire.CallAsync($"{AwsWire.CloudWatch}.DescribeAlarms", Describe, signingName, "application/x-amz-json-1.0", sign, keyId, secret, signedAt, region, afterSigning);

    private void ShouldBeRefused(AwsAnswer answer, HttpStatusCode status, string type, string queryCode)
    {
        answer.Status.ShouldBe(status);
        ((string?)answer.Body["__type"]).ShouldBe($"com.amazon.coral.service#{type}");
        answer.QueryError.ShouldBe($"{queryCode};Sender");
        answer.Text.ShouldNotContain(_aws.SecretAccessKey);
    }

    [Fact]
    public async Task StartAsync_SignedRequest_IsAnswered()
    {
        _aws.Url.Scheme.ShouldBe("http");
        _aws.Url.Host.ShouldBe("127.0.0.1");
        _aws.Region.ShouldBe("us-east-1");
        _aws.AccessKeyId.ShouldMatch("^AKIA[A-Z2-7]{16}$");
        _aws.SecretAccessKey.Length.ShouldBe(40);

        (await DescribeAlarmsAsync()).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Request_WithoutSignature_IsMissingAuthenticationToken()
    {
        var answer = await DescribeAlarmsAsync(sign: false);

        ShouldBeRefused(answer, HttpStatusCode.Forbidden, "MissingAuthenticationTokenException", "MissingAuthenticationToken");
        ((string?)answer.Body["message"]).ShouldBe("Request is missing Authentication Token");
    }

    [Fact]
    public async Task Request_AnotherAccessKey_IsUnrecognizedClient()
    {
        var answer = await DescribeAlarmsAsync(keyId: "AKIAIOSFODNN7EXAMPLE");

        ShouldBeRefused(answer, HttpStatusCode.Forbidden, "UnrecognizedClientException", "InvalidClientTokenId");
        ((string?)answer.Body["message"]).ShouldBe("The security token included in the request is invalid.");
    }

    [Fact]
    public async Task Request_WrongSecret_IsInvalidSignature()
    {
        var answer = await DescribeAlarmsAsync(secret: new string('x', 40));

        ShouldBeRefused(answer, HttpStatusCode.Forbidden, "InvalidSignatureException", "SignatureDoesNotMatch");
        ((string?)answer.Body["message"]).ShouldStartWith("The request signature we calculated does not match the signature you provided.");
    }

    [Fact]
    public async Task Request_BodyChangedAfterSigning_IsInvalidSignature()
    {
        var answer = await DescribeAlarmsAsync(afterSigning: request =>
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"MaxRecords":1}"""));
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.0");
            request.Headers.Remove("X-Amz-Content-SHA256");
            request.Content = content;
            return Task.CompletedTask;
        });

        ShouldBeRefused(answer, HttpStatusCode.Forbidden, "InvalidSignatureException", "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task Request_TargetChangedAfterSigning_IsInvalidSignature()
    {
        var answer = await DescribeAlarmsAsync(afterSigning: request =>
        {
            request.Headers.Remove("X-Amz-Target");
            request.Headers.TryAddWithoutValidation("X-Amz-Target", $"{AwsWire.CloudWatch}.DescribeAlarmHistory");
            return Task.CompletedTask;
        });

        ShouldBeRefused(answer, HttpStatusCode.Forbidden, "InvalidSignatureException", "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task Request_SignedForAnotherService_IsInvalidSignature()
    {
        var answer = await DescribeAlarmsAsync(signingName: "cloudtrail");

        ShouldBeRefused(answer, HttpStatusCode.Forbidden, "InvalidSignatureException", "SignatureDoesNotMatch");
        ((string)answer.Body["message"]!).ShouldContain("Credential should be scoped to correct service: 'monitoring'.");
    }

    [Fact]
    public async Task Request_SignedForAnotherRegion_IsInvalidSignature()
    {
        var answer = await DescribeAlarmsAsync(region: "eu-west-1");

        ShouldBeRefused(answer, HttpStatusCode.Forbidden, "InvalidSignatureException", "SignatureDoesNotMatch");
        ((string)answer.Body["message"]!).ShouldContain("eu-west-1");
    }

    [Fact]
    public async Task Request_SignedSixMinutesAgo_IsExpired()
    {
        var past = new FakeClock(_cluster.Clock.GetUtcNow().AddMinutes(-6));

        var answer = await DescribeAlarmsAsync(signedAt: past);

        ShouldBeRefused(answer, HttpStatusCode.Forbidden, "InvalidSignatureException", "SignatureDoesNotMatch");
        ((string?)answer.Body["message"]).ShouldStartWith("Signature expired: 20261122T085400Z is now earlier than 20261122T085500Z (20261122T090000Z - 5 min.)");
        (await DescribeAlarmsAsync(signedAt: new FakeClock(_cluster.Clock.GetUtcNow().AddMinutes(-4)))).Status.ShouldBe(HttpStatusCode.OK, "within the 5 minutes AWS allows");
    }

    [Fact]
    public async Task CloudTrailRequest_Refused_HasNoQueryErrorHeader()
    {
        var answer = await _wire.CallAsync($"{AwsWire.CloudTrail}.LookupEvents", "{}", "cloudtrail", "application/x-amz-json-1.1", keyId: "AKIAIOSFODNN7EXAMPLE");

        answer.Status.ShouldBe(HttpStatusCode.Forbidden);
        ((string?)answer.Body["__type"]).ShouldBe("com.amazon.coral.service#UnrecognizedClientException");
        answer.QueryError.ShouldBeNull();
        answer.ContentType.ShouldBe("application/x-amz-json-1.1");
    }

    [Fact]
    public async Task StartAsync_Again_KeepsTheKeyInAnOwnerOnlyFile()
    {
        var (keyId, secret) = (_aws.AccessKeyId, _aws.SecretAccessKey);
        await _aws.DisposeAsync();

        _aws = await SandboxAws.StartAsync(_cluster.Store, _dir.Path, _cluster.Clock, SandboxTimings.Fast, NullLoggerFactory.Instance);

        (_aws.AccessKeyId, _aws.SecretAccessKey).ShouldBe((keyId, secret));
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(_dir.File("aws-credentials.json")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(90)]
    public async Task StartAsync_PeriodCloudWatchDoesNotOffer_IsRefused(int period) =>
        (await Should.ThrowAsync<ArgumentOutOfRangeException>(() => SandboxAws.StartAsync(_cluster.Store, _dir.File("other"), _cluster.Clock, SandboxTimings.Fast, NullLoggerFactory.Instance, periodSeconds: period)))
            .ParamName.ShouldBe("periodSeconds");
}
