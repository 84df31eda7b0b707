using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Logs.Elasticsearch;
using Portal.Testing;

namespace Portal.Logs.Tests.Elasticsearch;

public sealed class ElasticsearchHealthCheckTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new();
    private FakeElasticsearch _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeElasticsearch.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private Task<HealthCheckResult> CheckAsync(Uri url) =>
        new ElasticsearchHealthCheck(new ElasticsearchClient(_http, new ElasticsearchOptions { Url = url, RequestTimeout = TimeSpan.FromSeconds(5) }, TimeProvider.System))
            .CheckHealthAsync(new HealthCheckContext());

    [Theory]
    [InlineData("green", HealthStatus.Healthy)]
    [InlineData("yellow", HealthStatus.Degraded)]
    [InlineData("red", HealthStatus.Unhealthy)]
    public async Task CheckHealthAsync_ClusterStatus_MapsToHealth(string status, HealthStatus expected)
    {
        _fake.Responder = _ => FakeReply.Ok($$"""{"cluster_name":"logs","status":"{{status}}","timed_out":false,"number_of_nodes":3}""");

        var result = await CheckAsync(_fake.Url);

        result.Status.ShouldBe(expected);
        result.Description.ShouldBe($"Elasticsearch cluster logs is {status}.");
        _fake.Requests.Single().PathAndQuery.ShouldBe("/_cluster/health");
    }

    [Fact]
    public async Task CheckHealthAsync_Unreachable_IsUnhealthyWithoutTheCredentials()
    {
        var closed = FreePort.Next();

        var result = await CheckAsync(new Uri($"http://ops:hunter2-secret@127.0.0.1:{closed}"));

        result.Status.ShouldBe(HealthStatus.Unhealthy);
        result.Description.ShouldNotBeNull().ShouldContain($"127.0.0.1:{closed}");
        result.Description.ShouldNotContain("hunter2-secret");
        result.Exception.ShouldBeNull();
    }
}
