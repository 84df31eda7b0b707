using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Core.Logs;
using Portal.Logs.Elasticsearch;
using Portal.Testing;

namespace Portal.Logs.Tests.Elasticsearch;

public sealed class ElasticsearchLogsExtensionsTests : IAsyncLifetime
{
    private FakeElasticsearch _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeElasticsearch.StartAsync();
        _fake.Responder = r => r.Path switch
        {
            "/_cluster/health" => FakeReply.Ok("""{"cluster_name":"logs","status":"yellow"}"""),
            _ => FakeReply.Ok(ReferenceData.DocsResponse("api-reference__search-apis__field-caps.examples.json")),
        };
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(s => $"Logs:Elasticsearch:{s.Key}", s => s.Value))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddElasticsearchLogs(configuration.GetSection(ElasticsearchOptions.SectionName), "logs");
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddElasticsearchLogs_Configured_TheBackendSearchesTheConfiguredClusterWithItsCredentials()
    {
        await using var services = Services(new()
        {
            ["Url"] = _fake.Url.ToString(),
            ["Flavor"] = "Elasticsearch",
            ["IndexPattern"] = "k8s-{environment}",
            ["Authentication:Mode"] = "ApiKey",
            ["Authentication:ApiKey"] = "a2V5",
        });

        var fields = await services.GetRequiredService<ILogSearchBackend>().FieldsAsync([new LogScope("prod", "shop-prod")], CancellationToken.None);

        fields.ShouldNotBeEmpty();
        var request = _fake.Requests.Single();
        request.PathAndQuery.ShouldBe("/k8s-prod/_field_caps?fields=*");
        request.Header("Authorization").ShouldBe("ApiKey a2V5");
    }

    [Fact]
    public async Task AddElasticsearchLogs_Connections_AreGuardedAgainstBareSocketExceptions()
    {
        await using var services = Services(new() { ["Url"] = _fake.Url.ToString(), ["Authentication:Mode"] = "AwsSigV4", ["Authentication:Region"] = "eu-west-1" });

        using var handler = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(ElasticsearchClient.HttpClientName);

        var chain = HandlerChain.Of(handler);
        chain.ShouldContain("ConnectionErrorHandler");
        chain.ShouldContain("AwsSigV4SigningHandler");
        chain.ShouldEndWith("> SocketsHttpHandler");
    }

    [Fact]
    public async Task AddElasticsearchLogs_HealthCheck_IsRegisteredWithItsTags()
    {
        await using var services = Services(new() { ["Url"] = _fake.Url.ToString() });

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(CancellationToken.None);

        var entry = report.Entries[ElasticsearchLogsExtensions.HealthCheckName];
        entry.Status.ShouldBe(HealthStatus.Degraded);
        entry.Tags.ShouldBe(["logs"]);
    }

    [Fact]
    public async Task AddElasticsearchLogs_InvalidSettings_FailWithMessagesNamingTheKeys()
    {
        await using var services = Services(new() { ["Authentication:Mode"] = "ApiKey" });

        var error = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<ElasticsearchOptions>>().Value);

        error.Failures.ShouldBe([
            "Logs:Elasticsearch:Url must be an absolute http(s) URL.",
            "Logs:Elasticsearch:Authentication:ApiKey is required when Authentication:Mode is ApiKey.",
        ]);
    }

    [Fact]
    public async Task AddElasticsearchLogs_AwsSigV4_SignsWithCredentialsFromTheDefaultChain()
    {
        // Environment variables come first in the SDK's chain. Only this test resolves the chain in this process.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIDCHAINTEST");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "chain-secret");
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", "chain-token");
        try
        {
            await using var services = Services(new()
            {
                ["Url"] = _fake.Url.ToString(),
                ["Flavor"] = "OpenSearch",
                ["Authentication:Mode"] = "AwsSigV4",
                ["Authentication:Region"] = "eu-central-1",
            });

            var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(CancellationToken.None);

            report.Entries[ElasticsearchLogsExtensions.HealthCheckName].Status.ShouldBe(HealthStatus.Degraded);
            var request = _fake.Requests.Single();
            request.Header("Authorization").ShouldNotBeNull().ShouldStartWith("AWS4-HMAC-SHA256 Credential=AKIDCHAINTEST/");
            request.Header("Authorization").ShouldNotBeNull().ShouldContain("/eu-central-1/es/aws4_request");
            request.Header("X-Amz-Security-Token").ShouldBe("chain-token");
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", null);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", null);
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
        }
    }
}
