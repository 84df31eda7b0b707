using Portal.Aws.CloudWatch;
using Portal.Aws.Sts;
using Portal.Core.Alarms;
using Portal.Testing;

namespace Portal.Aws.Tests.Sts;

public sealed class AssumedRoleCredentialsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private FakeAws _sts = null!;
    private FakeAws _cloudWatch = null!;
    private readonly FakeClock _clock = new(At);
    private int _issued;

    public async Task InitializeAsync()
    {
        _sts = await FakeAws.StartAsync();
        _cloudWatch = await FakeAws.StartAsync();
        // Each AssumeRole hands out new keys that expire an hour after the fake clock's now.
        _sts.Responder = _ =>
        {
            var n = Interlocked.Increment(ref _issued);
            var xml = ReferenceData.Text("Sts/assume-role.response.xml")
                .Replace("ASIAIOSFODNN7EXAMPLE", $"ASIAISSUED{n}", StringComparison.Ordinal)
                .Replace("AQoDYXdzEPT", $"TOKEN{n}-", StringComparison.Ordinal)
                .Replace("2026-11-22T10:00:00Z", (_clock.GetUtcNow() + TimeSpan.FromHours(1)).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                    StringComparison.Ordinal);
            return FakeReply.Ok(xml);
        };
        _cloudWatch.Responder = _ => FakeReply.Ok("{}");
    }

    public async Task DisposeAsync()
    {
        await _sts.DisposeAsync();
        await _cloudWatch.DisposeAsync();
    }

    private AssumedRoleCredentials Credentials() => new(
        new StsClient(TestAccounts.Transport(_sts.Url, "sts", clock: _clock)),
        new AssumeRoleRequest { RoleArn = "arn:aws:iam::123456789012:role/portal-reader", RoleSessionName = "portal-prod" },
        _clock);

    [Fact]
    public async Task GetCredentialsAsync_CachedUntilFiveMinutesBeforeExpiration_ThenAssumedAgain()
    {
        var credentials = Credentials();

        var first = await credentials.GetCredentialsAsync();
        _clock.Advance(TimeSpan.FromMinutes(54));
        var cached = await credentials.GetCredentialsAsync();
        _clock.Advance(TimeSpan.FromMinutes(1));
        var renewed = await credentials.GetCredentialsAsync();

        first.AccessKey.ShouldBe("ASIAISSUED1");
        first.Token.ShouldStartWith("TOKEN1-");
        cached.AccessKey.ShouldBe("ASIAISSUED1");
        renewed.AccessKey.ShouldBe("ASIAISSUED2");
        _sts.Requests.Count.ShouldBe(2);
        _sts.Requests.ShouldAllBe(r => r.Header("Authorization")!.Contains($"Credential={TestAccounts.AccessKey}/"), "AssumeRole is signed with the base credentials");
    }

    [Fact]
    public async Task GetCredentialsAsync_ConcurrentCallers_ShareOneAssumeRole()
    {
        var credentials = Credentials();

        var all = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(credentials.GetCredentialsAsync)));

        all.Select(c => c.AccessKey).Distinct().ShouldBe(["ASIAISSUED1"]);
        _sts.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SigningHandler_WithAssumedRole_SignsCloudWatchWithTheRolesSessionCredentials()
    {
        var credentials = Credentials();
        var client = new CloudWatchClient(TestAccounts.Transport(_cloudWatch.Url, "monitoring", credentials: () => credentials, clock: _clock));

        await client.DescribeAlarmsAsync(new DescribeAlarmsRequest(), CancellationToken.None);
        await client.DescribeAlarmsAsync(new DescribeAlarmsRequest(), CancellationToken.None);

        _cloudWatch.Requests.ShouldAllBe(r => r.Header("Authorization")!.Contains("Credential=ASIAISSUED1/"));
        _cloudWatch.Requests.ShouldAllBe(r => r.Header("X-Amz-Security-Token")!.StartsWith("TOKEN1-"));
        _sts.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SigningHandler_RoleCannotBeAssumed_CloudWatchCallFailsWithTheCredentialsMessage()
    {
        _sts.Responder = _ => new FakeReply(403, ReferenceData.Text("Sts/assume-role.access-denied.xml"));
        var credentials = Credentials();
        var client = new CloudWatchClient(TestAccounts.Transport(_cloudWatch.Url, "monitoring", credentials: () => credentials, clock: _clock));

        var error = await Should.ThrowAsync<AlarmSourceException>(() => client.DescribeAlarmsAsync(new DescribeAlarmsRequest(), CancellationToken.None));

        error.Failure.ShouldBe(AwsFailure.Credentials);
        error.Message.ShouldContain("could not assume role arn:aws:iam::123456789012:role/portal-reader");
        _cloudWatch.Requests.ShouldBeEmpty();
    }
}
