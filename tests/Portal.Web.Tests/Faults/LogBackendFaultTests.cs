using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Core.Authorization;
using Portal.Testing;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Faults;

/// <summary>The portal searching its logs in a fake Elasticsearch reached through a <see cref="FaultProxy"/>, with the sandbox running.</summary>
public sealed class LogBackendFaultFixture : IAsyncLifetime
{
    public FakeElasticsearch Elasticsearch { get; private set; } = default!;

    public FaultProxy Proxy { get; private set; } = default!;

    public PortalAppFactory App { get; private set; } = default!;

    public HttpClient Viewer { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Elasticsearch = await FakeElasticsearch.StartAsync();
        Elasticsearch.Responder = r => r.Path switch
        {
            "/_cluster/health" => FakeReply.Ok("""{"cluster_name":"logs","status":"green"}"""),
            var p when p.EndsWith("/_pit", StringComparison.Ordinal) && r.Method == "POST" => FakeReply.Ok("""{"id":"pit-1"}"""),
            "/_pit" => FakeReply.Ok("""{"succeeded":true,"num_freed":1}"""),
            "/_search" => FakeReply.Ok("""{"took":1,"timed_out":false,"pit_id":"pit-1","hits":{"total":{"value":0,"relation":"eq"},"hits":[]},"aggregations":{"histogram":{"buckets":[]}}}"""),
            _ => new FakeReply(404, """{"error":{"type":"resource_not_found_exception","reason":"not in this fake"},"status":404}"""),
        };
        Proxy = FaultProxy.Start(Elasticsearch.Url.Host, Elasticsearch.Url.Port);

        App = new PortalAppFactory();
        App.Settings["Kubernetes:Sandbox:Enabled"] = "true";
        App.Settings["Logs:Backend"] = "Elasticsearch";
        App.Settings["Logs:Elasticsearch:Url"] = $"http://127.0.0.1:{Proxy.Port}";
        App.Settings["Logs:Elasticsearch:Flavor"] = "Elasticsearch";
        App.Settings["Logs:Elasticsearch:RequestTimeout"] = "00:00:02";
        MatrixAppFactory.AddRoleUsers(App);
        Viewer = await App.SignInAsync(MatrixAppFactory.UserFor(Roles.Viewer));
    }

    public async Task DisposeAsync()
    {
        Viewer.Dispose();
        App.Dispose();
        await Proxy.DisposeAsync();
        await Elasticsearch.DisposeAsync();
    }
}

/// <summary>
/// Elasticsearch unreachable, hanging and erroring while users work: the Logs page shows the log back end's banner,
/// a search is refused with 503 problem+json naming the back end, the workloads pages (which read the cluster, not
/// the log back end) carry on, nothing answers 500, and searches work again once Elasticsearch is back.
/// </summary>
public sealed class LogBackendFaultTests(LogBackendFaultFixture logs) : IClassFixture<LogBackendFaultFixture>
{
    private const string Banner = "[data-testid='log-backend-banner']";

    /// <summary>What Elasticsearch answers while its cluster state is not recovered (a restart, a lost master).</summary>
    private const string ClusterBlock =
        """{"error":{"root_cause":[{"type":"cluster_block_exception","reason":"blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];"}],"type":"cluster_block_exception","reason":"blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];"},"status":503}""";

    [Theory]
    [InlineData(FaultMode.Refuse, "unreachable")]
    [InlineData(FaultMode.Hang, "Elasticsearch")]
    [InlineData(FaultMode.HttpError, "state not recovered")]
    public async Task Fault_BannerAndRefusedSearch_OthersFine_ThenRecovers(FaultMode mode, string reason)
    {
        var client = logs.Viewer;
        (await SearchAsync(client)).StatusCode.ShouldBe(HttpStatusCode.OK, "the search works before the fault");
        await FaultChecks.EventuallyAsync(async () => (await FaultChecks.PageAsync(client, "/logs")).QuerySelector(Banner) is null, "no banner before the fault");

        logs.Proxy.ErrorResponse = FaultProxy.HttpResponse(503, "Service Unavailable", "application/json", ClusterBlock);
        logs.Proxy.Mode = mode;
        try
        {
            // (3) The search is refused with the reason, naming the back end.
            using (var refused = await SearchAsync(client))
            {
                var detail = await FaultChecks.ShouldBeUnavailableAsync(refused, "search");
                detail.ShouldContain("Elasticsearch");
                detail.ShouldContain(reason);
            }

            // (1) The Logs page, prerendered, says the log back end is not answering and that Portal keeps checking.
            string banner = "";
            await FaultChecks.EventuallyAsync(async () =>
            {
                banner = (await FaultChecks.PageAsync(client, "/logs")).QuerySelector(Banner)?.TextContent ?? "";
                return banner.Contains("Elasticsearch", StringComparison.Ordinal);
            }, "the Logs page's banner");
            banner.ShouldContain("The log back end is not answering");
            banner.ShouldContain("keeps checking");

            // (2) Pages that do not search logs show no log banner (and no cluster banner either).
            foreach (var other in new[] { "/environments/dev/workloads", "/costs" })
            {
                var page = await FaultChecks.PageAsync(client, other);
                page.QuerySelector(Banner).ShouldBeNull($"{other} does not depend on the log back end");
                page.QuerySelector("[data-testid='cluster-banner']").ShouldBeNull();
            }

            using var pods = await client.GetAsync(new Uri("/api/v1/environments/dev/pods", UriKind.Relative));
            pods.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            logs.Proxy.Mode = FaultMode.Pass;
        }

        // (5) Back without a restart: the search answers and the banner goes.
        await FaultChecks.EventuallyAsync(async () =>
        {
            using var search = await SearchAsync(client);
            FaultChecks.ShouldHaveNoTrace(await search.Content.ReadAsStringAsync(), "search after recovery");
            return search.StatusCode == HttpStatusCode.OK;
        }, "the search to work once Elasticsearch answers");
        await FaultChecks.EventuallyAsync(async () => (await FaultChecks.PageAsync(client, "/logs")).QuerySelector(Banner) is null,
            "the banner to go once Elasticsearch answers");
    }

    private static Task<HttpResponseMessage> SearchAsync(HttpClient client) =>
        client.PostAsJsonAsync("/api/v1/logs/search", new { query = "level:error", from = "now-15m", to = "now", environment = "dev" });
}
