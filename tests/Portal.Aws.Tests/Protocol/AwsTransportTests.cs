using Amazon.Runtime;
using Portal.Aws.CloudWatch;
using Portal.Aws.Signing;
using Portal.Core.Alarms;
using Portal.Testing;

namespace Portal.Aws.Tests.Protocol;

/// <summary>Retries, back-offs and failure mapping, through <see cref="CloudWatchClient"/> against a loopback fake.</summary>
public sealed class AwsTransportTests : IAsyncLifetime
{
    private const string EmptyAlarms = """{"CompositeAlarms":[],"MetricAlarms":[]}""";

    private FakeAws _fake = null!;
    private readonly RecordedDelays _delays = new();

    public async Task InitializeAsync() => _fake = await FakeAws.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private CloudWatchClient Client(Func<AWSCredentials>? credentials = null) => TestAccounts.CloudWatch(_fake.Url, _delays.Policy(), credentials);

    private Task<DescribeAlarmsResponse> DescribeAsync(CloudWatchClient client) => client.DescribeAlarmsAsync(new DescribeAlarmsRequest(), CancellationToken.None);

    private static FakeReply Throttled() => FakeReply.Error(400, "com.amazonaws.cloudwatch.v2010_08_01#Throttling", "Rate exceeded", "Throttling;Sender");

    [Fact]
    public async Task SendAsync_ThrottledTwiceThenOk_SucceedsOnTheThirdAttemptAfterJitteredBackoffs()
    {
        _fake.Responder = FakeAws.Sequence(Throttled(), Throttled(), FakeReply.Ok(EmptyAlarms));

        var response = await DescribeAsync(Client());

        response.MetricAlarms.ShouldBeEmpty();
        _fake.Requests.Count.ShouldBe(3);
        // Full jitter with a draw of 0.5: half of 1 s, then half of 2 s.
        _delays.Delays.ShouldBe([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1)]);
        _fake.Requests.Select(r => r.Header("X-Amz-Date")).ShouldAllBe(d => d != null, "every attempt is signed afresh");
    }

    [Fact]
    public async Task SendAsync_ThrottledThreeTimes_GivesUpAsThrottledNamingTheAccount()
    {
        _fake.Responder = _ => FakeReply.Error(400, "ThrottlingException", "Rate exceeded");

        var error = await Should.ThrowAsync<AlarmSourceException>(() => DescribeAsync(Client()));

        error.Failure.ShouldBe(AwsFailure.Throttled);
        error.Message.ShouldContain("account 'prod'");
        error.Message.ShouldContain("3 attempts");
        _fake.Requests.Count.ShouldBe(3);
        _delays.Delays.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task SendAsync_ServerErrorThenOk_IsRetried(int status)
    {
        _fake.Responder = FakeAws.Sequence(new FakeReply(status, "<html>bad gateway</html>"), FakeReply.Ok(EmptyAlarms));

        await DescribeAsync(Client());

        _fake.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_ServerErrorEveryTime_IsUnavailableAfterThreeAttempts()
    {
        _fake.Responder = _ => FakeReply.Error(500, "com.amazonaws.cloudwatch.v2010_08_01#InternalServiceFault", "Internal error", "InternalServiceError;Receiver");

        var error = await Should.ThrowAsync<AlarmSourceException>(() => DescribeAsync(Client()));

        error.Failure.ShouldBe(AwsFailure.Unavailable);
        error.Message.ShouldContain("answered DescribeAlarms for account 'prod' with InternalServiceError (HTTP 500) after 3 attempts");
        _fake.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task SendAsync_NothingListens_IsUnavailableAfterThreeAttempts()
    {
        var client = TestAccounts.CloudWatch(new Uri($"http://127.0.0.1:{FreePort.Next()}"), _delays.Policy());

        var error = await Should.ThrowAsync<AlarmSourceException>(() => DescribeAsync(client));

        error.Failure.ShouldBe(AwsFailure.Unavailable);
        error.Message.ShouldContain("could not be reached for account 'prod' after 3 attempts");
        _delays.Delays.Count.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_SlowAnswer_TimesOutPerAttemptAndRetries()
    {
        _fake.Responder = FakeAws.Sequence(new FakeReply(200, EmptyAlarms, Delay: TimeSpan.FromSeconds(30)), FakeReply.Ok(EmptyAlarms));
        var client = new CloudWatchClient(TestAccounts.Transport(_fake.Url, "monitoring", _delays.Policy(), timeout: TimeSpan.FromMilliseconds(300)));

        await DescribeAsync(client);

        _fake.Requests.Count.ShouldBe(2);
        _delays.Delays.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_IsCancelledNotRetried()
    {
        _fake.Responder = _ => new FakeReply(200, EmptyAlarms, Delay: TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Should.ThrowAsync<OperationCanceledException>(() => Client().DescribeAlarmsAsync(new DescribeAlarmsRequest(), cts.Token));

        _delays.Delays.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("ExpiredTokenException", "com.amazonaws.cloudwatch.v2010_08_01#ExpiredTokenException", "have expired; refresh them (aws sso login) or check the role")]
    [InlineData("ExpiredToken", "ExpiredToken", "have expired")]
    [InlineData("UnrecognizedClientException", "UnrecognizedClientException", "does not recognise the AWS credentials for account 'prod'")]
    [InlineData("InvalidClientTokenId", "InvalidClientTokenId", "does not recognise the AWS credentials for account 'prod'")]
    [InlineData("InvalidSignatureException", "InvalidSignatureException", "refused the request signature for account 'prod'")]
    [InlineData("SignatureDoesNotMatch", "SignatureDoesNotMatch", "refused the request signature")]
    [InlineData("MissingAuthenticationToken", "MissingAuthenticationTokenException", "received no complete AWS signature for account 'prod'")]
    [InlineData("IncompleteSignature", "IncompleteSignatureException", "received no complete AWS signature")]
    public async Task SendAsync_CredentialError_IsCredentialsInPlainWordsWithoutTheServiceMessageOrAnyKey(string queryCode, string type, string expected)
    {
        // A real SignatureDoesNotMatch message quotes the canonical request, session token included: it must not surface.
        var message = $"The request signature we calculated does not match. The String-to-Sign was 'AWS4-HMAC-SHA256 {TestAccounts.AccessKey} x-amz-security-token:FQoGZXIvYXdzEXAMPLE'";
        _fake.Responder = _ => FakeReply.Error(403, type, message, $"{queryCode};Sender");

        var error = await Should.ThrowAsync<AlarmSourceException>(() => DescribeAsync(Client()));

        error.Failure.ShouldBe(AwsFailure.Credentials);
        error.Message.ShouldContain(expected);
        error.Message.ShouldContain("'prod'");
        error.Message.ShouldNotContain(TestAccounts.AccessKey);
        error.Message.ShouldNotContain(TestAccounts.SecretKey);
        error.Message.ShouldNotContain("FQoGZXIvYXdzEXAMPLE");
        _fake.Requests.Count.ShouldBe(1, "credential errors are not retried");
    }

    [Fact]
    public async Task SendAsync_ChainHasNoCredentials_IsCredentialsNamingTheAccountAndSendsNothing()
    {
        var client = Client(() => throw new AwsCredentialsUnavailableException(new AmazonClientException("Failed to resolve AWS credentials.")));

        var error = await Should.ThrowAsync<AlarmSourceException>(() => DescribeAsync(client));

        error.Failure.ShouldBe(AwsFailure.Credentials);
        error.Message.ShouldStartWith("No AWS credentials were found for account 'prod'");
        error.Message.ShouldContain("aws sso login");
        _fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task SendAsync_PortalsOwnCredentialSourceFailed_AddsItsReasonToTheMessage()
    {
        var client = Client(() => throw new AwsCredentialSourceException("STS refused to assume role arn:aws:iam::123456789012:role/portal-irsa (InvalidIdentityToken)."));

        var error = await Should.ThrowAsync<AlarmSourceException>(() => DescribeAsync(client));

        error.Failure.ShouldBe(AwsFailure.Credentials);
        error.Message.ShouldStartWith("No AWS credentials were found for account 'prod'");
        error.Message.ShouldEndWith(" STS refused to assume role arn:aws:iam::123456789012:role/portal-irsa (InvalidIdentityToken).");
        _fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task SendAsync_SdkProviderFailsWithInvalidOperation_IsCredentialsNotACrash()
    {
        // What AWSSDK.Core's web identity provider throws when the token file cannot be read.
        var client = Client(() => throw new InvalidOperationException("A token could not be loaded from the WebIdentityTokenFile."));

        var error = await Should.ThrowAsync<AlarmSourceException>(() => DescribeAsync(client));

        error.Failure.ShouldBe(AwsFailure.Credentials);
        error.Message.ShouldStartWith("No AWS credentials were found for account 'prod'");
        error.Message.ShouldNotContain("WebIdentityTokenFile", Case.Sensitive, "only Portal's own sources' messages are known to be free of secrets");
    }

    [Theory]
    [InlineData("AccessDenied", "com.amazonaws.cloudwatch.v2010_08_01#AccessDenied")]
    [InlineData("AccessDeniedException", "AccessDeniedException")]
    public async Task SendAsync_AccessDenied_NamesTheIamActionAndAccount(string queryCode, string type)
    {
        _fake.Responder = _ => FakeReply.Error(403, type,
            "User: arn:aws:sts::111111111111:assumed-role/portal/i-0abc is not authorized to perform: cloudwatch:DescribeAlarms", $"{queryCode};Sender");

        var error = await Should.ThrowAsync<AlarmSourceException>(() => DescribeAsync(Client()));

        error.Failure.ShouldBe(AwsFailure.AccessDenied);
        error.Message.ShouldStartWith("Account 'prod' is not allowed cloudwatch:DescribeAlarms");
        error.Message.ShouldContain("is not authorized to perform");
        _fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_ValidationErrorFromLocalStackWire_IsInvalidRequestWithTheServiceMessage()
    {
        var body = ReferenceData.Json("Wire/wire-awsJson1_0.errors.json")["invalid-value-response"]!.ToJsonString();
        _fake.Responder = _ => new FakeReply(400, body, new Dictionary<string, string> { ["x-amzn-query-error"] = "ValidationError;Sender" });

        var error = await Should.ThrowAsync<AlarmSourceException>(() => DescribeAsync(Client()));

        error.Failure.ShouldBe(AwsFailure.InvalidRequest);
        error.Message.ShouldContain("rejected DescribeAlarms for account 'prod' as invalid (ValidationError)");
        error.Message.ShouldContain("Member must satisfy enum value set");
        _fake.Requests.Count.ShouldBe(1);
    }
}
