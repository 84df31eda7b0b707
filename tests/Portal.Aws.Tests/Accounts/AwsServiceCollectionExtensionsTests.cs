using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Aws.Accounts;
using Portal.Aws.Protocol;
using Portal.Aws.SdkBridge;
using Portal.Core.Alarms;
using Portal.Testing;

namespace Portal.Aws.Tests.Accounts;

/// <remarks>In the environment collection: one test resolves the default chain from environment variables.</remarks>
[Collection(AwsEnvironmentCollection.Name)]
public sealed class AwsServiceCollectionExtensionsTests : IAsyncLifetime
{
    private FakeAws _aws = null!;
    private FakeAws _sts = null!;

    public async Task InitializeAsync()
    {
        _aws = await FakeAws.StartAsync();
        _sts = await FakeAws.StartAsync();
        _aws.Responder = r => r.Operation switch
        {
            "DescribeAlarms" => FakeReply.Ok(ReferenceData.Text("Wire/describe-alarms.metric.json")),
            "ListTagsForResource" => FakeReply.Ok(ReferenceData.Text("Wire/list-tags-for-resource.json")),
            "LookupEvents" => FakeReply.Ok(ReferenceData.Text("AwsCli/cloudtrail_lookup-events.output.json")),
            _ => FakeReply.Error(400, "InvalidAction", r.Operation),
        };
        _sts.Responder = _ => FakeReply.Ok(ReferenceData.Text("Sts/assume-role.response.xml")
            .Replace("2026-11-22T10:00:00Z", DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        await _aws.DisposeAsync();
        await _sts.DisposeAsync();
    }

    private static ServiceProvider Services(Action<IServiceCollection> add)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new RecordedDelays().Policy());
        add(services);
        return services.BuildServiceProvider();
    }

    private static IConfiguration Section(Dictionary<string, string?> settings) => new ConfigurationBuilder()
        .AddInMemoryCollection(settings.ToDictionary(s => $"Aws:{s.Key}", s => s.Value))
        .Build()
        .GetSection(AwsOptions.SectionName);

    [Fact]
    public async Task AddPortalAws_HostSuppliedAccounts_ReadsAlarmsAndTrailFromTheirEndpointsWithTheirKeys()
    {
        var account = new AwsAccount("sandbox", "us-east-1", () => new BasicAWSCredentials("AKIDSANDBOX", "sandbox-secret"), null, _aws.Url, _aws.Url);
        await using var services = Services(s => s.AddPortalAws([account], "ready"));

        var listing = await services.GetRequiredService<IAlarmSource>().ListAsync(CancellationToken.None);
        var trail = await services.GetRequiredService<IChangeTrail>().LookupAsync("shop-prod",
            new TrailQuery { From = DateTimeOffset.UtcNow.AddHours(-1), To = DateTimeOffset.UtcNow }, CancellationToken.None);

        listing.Alarms.Single().Account.ShouldBe("sandbox");
        listing.Alarms.Single().Tags.ShouldBe(new Dictionary<string, string> { ["tag1"] = "foo", ["tag2"] = "bar" });
        trail.Events.Single().Account.ShouldBe("sandbox");
        _aws.Requests.ShouldAllBe(r => r.Header("Authorization")!.Contains("Credential=AKIDSANDBOX/"));
        _aws.RequestsFor("DescribeAlarms").Single().Header("Authorization")!.ShouldContain("/us-east-1/monitoring/aws4_request");
        _aws.RequestsFor("LookupEvents").Single().Header("Authorization")!.ShouldContain("/us-east-1/cloudtrail/aws4_request");
    }

    [Fact]
    public async Task AddPortalAws_ConfiguredAccountWithRole_AssumesTheRoleWithTheChainsCredentialsAndSignsWithTheRoles()
    {
        // The default chain's first source is the environment; this is the only test that resolves the process-wide AwsCredentialChain.Default.
        using var _ = new AwsEnvironment(new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIDCHAINEXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "chain-secret-example",
        });
        await using var services = Services(s => s.AddPortalAws(Section(new()
        {
            ["Accounts:0:Name"] = "prod",
            ["Accounts:0:Region"] = "eu-west-1",
            ["Accounts:0:RoleArn"] = "arn:aws:iam::123456789012:role/portal-reader",
            ["Accounts:0:ExternalId"] = "ext-42",
            ["Accounts:0:CloudWatchEndpoint"] = _aws.Url.ToString(),
            ["Accounts:0:StsEndpoint"] = _sts.Url.ToString(),
        })));

        var listing = await services.GetRequiredService<IAlarmSource>().ListAsync(CancellationToken.None);

        listing.Problems.ShouldBeEmpty();
        services.GetRequiredService<AwsAccounts>().Single().Account.CloudTrailEndpoint.ShouldBe(new Uri("https://cloudtrail.eu-west-1.amazonaws.com"));
        var assume = _sts.Requests.Single();
        assume.Form["RoleSessionName"].ShouldBe("portal-prod");
        assume.Form["ExternalId"].ShouldBe("ext-42");
        assume.Header("Authorization")!.ShouldContain("Credential=AKIDCHAINEXAMPLE/");
        assume.Header("Authorization")!.ShouldContain("/eu-west-1/sts/aws4_request");
        _aws.Requests.ShouldAllBe(r => r.Header("Authorization")!.Contains("Credential=ASIAIOSFODNN7EXAMPLE/"));
        _aws.RequestsFor("DescribeAlarms").Single().Header("Authorization")!.ShouldContain("/eu-west-1/monitoring/aws4_request");
    }

    [Fact]
    public async Task AddAwsClientFactory_Connections_AreGuardedAgainstBareSocketExceptions()
    {
        await using var services = Services(s => s.AddAwsClientFactory());

        using var handler = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(AwsClientFactory.HttpClientName);

        var chain = HandlerChain.Of(handler);
        chain.ShouldContain("ConnectionErrorHandler");
        chain.ShouldEndWith("> SocketsHttpHandler");
        HandlerChain.Of(AwsSdkBridge.Connections).ShouldBe("ConnectionErrorHandler > SocketsHttpHandler", "the credential chain's STS and SSO calls");
    }

    [Fact]
    public async Task AddPortalAws_AfterAHostFallback_TheAwsAdaptersWin()
    {
        var account = new AwsAccount("sandbox", "us-east-1", () => TestAccounts.Static, null, _aws.Url, _aws.Url);
        await using var services = Services(s =>
        {
            s.AddSingleton<IAlarmSource, UnconfiguredSource>();
            s.AddPortalAws([account]);
        });

        services.GetRequiredService<IAlarmSource>().ShouldBeOfType<Portal.Aws.CloudWatch.CloudWatchAlarmSource>();
        services.GetRequiredService<IChangeTrail>().ShouldBeOfType<Portal.Aws.CloudTrail.CloudTrailChangeTrail>();
    }

    [Fact]
    public async Task AddPortalAws_InvalidSection_FailsValidationNamingTheKey()
    {
        await using var services = Services(s => s.AddPortalAws(Section(new() { ["Accounts:0:Name"] = "prod", ["Accounts:0:Region"] = "nowhere" })));

        var error = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<AwsOptions>>().Value);

        error.Message.ShouldContain("Aws:Accounts:0:Region is required and must look like eu-west-1 (got 'nowhere').");
    }

    [Fact]
    public async Task AddPortalAws_HealthCheck_IsRegisteredWithItsTagsAndReportsAFailingAccount()
    {
        var good = new AwsAccount("good", "us-east-1", () => TestAccounts.Static, null, _aws.Url, _aws.Url);
        var bad = new AwsAccount("bad", "us-east-1", () => TestAccounts.Static, null, _sts.Url, _sts.Url);
        _sts.Responder = _ => FakeReply.Error(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
        await using var services = Services(s => s.AddPortalAws([good, bad], "ready"));

        var registration = services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Single(r => r.Name == AwsServiceCollectionExtensions.HealthCheckName);
        var result = await registration.Factory(services).CheckHealthAsync(new HealthCheckContext { Registration = registration });

        registration.Tags.ShouldBe(["ready"]);
        result.Status.ShouldBe(HealthStatus.Degraded);
        result.Description!.ShouldContain("account 'bad'");
        result.Description!.ShouldNotContain(TestAccounts.SecretKey);
    }

    [Fact]
    public async Task AddPortalAws_RetrySettings_ComeFromTheSection()
    {
        await using var services = Services(s =>
        {
            s.AddPortalAws(Section(new() { ["MaxAttempts"] = "5" }));
        });

        services.GetRequiredService<IOptions<AwsOptions>>().Value.MaxAttempts.ShouldBe(5);
        services.GetRequiredService<AwsRetryPolicy>().MaxAttempts.ShouldBe(3, "a registered policy (the tests') wins over the default");
    }

    private sealed class UnconfiguredSource : IAlarmSource
    {
        public Task<AlarmListing> ListAsync(CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<AlarmHistoryItem>> HistoryAsync(Alarm alarm, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) => throw new NotSupportedException();

        public Task<MetricSeries?> MetricAsync(Alarm alarm, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) => throw new NotSupportedException();
    }
}
