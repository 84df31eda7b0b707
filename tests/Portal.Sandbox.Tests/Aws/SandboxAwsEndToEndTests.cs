using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Kubernetes.Connection;
using Portal.Sandbox.Aws;
using Portal.Sandbox.Aws.CloudWatch;
using Portal.Sandbox.Kubernetes;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;
using Portal.Sandbox.Tests.Kubernetes;
using Portal.Testing;

namespace Portal.Sandbox.Tests.Aws;

/// <summary>
/// The sandbox cluster and its CloudWatch and CloudTrail together, over their real wires, on a fake clock that runs
/// fast: a deploy through the Kubernetes API (with the portal's own client stack) lands in the trail, a crash-looping deploy goes to ALARM, the fix
/// returns it to OK, and a restart of both keeps alarms, history, metrics and trail.
/// </summary>
public sealed class SandboxAwsEndToEndTests : IAsyncLifetime
{
    private const string Unavailable = "shop/cart/unavailable-pods";
    private const string Restarts = "shop/cart/restarts";
    private readonly TempDirectory _dir = new("sandbox-aws-e2e");
    private readonly FakeClock _clock = new();
    private readonly CancellationTokenSource _stop = new();
    private SandboxCluster _cluster = default!;
    private SandboxAws _aws = default!;
    private AwsWire _wire = default!;
    private Task _time = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await StartAsync();
        // Cluster time runs 50 times faster than the test: a minute a little over a second.
        _time = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(20);
                _clock.Advance(TimeSpan.FromSeconds(1));
            }
        });
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _time;
        await StopAsync();
        _dir.Dispose();
        _stop.Dispose();
    }

    private async Task StartAsync()
    {
        _cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions(_dir.Path) { Timings = SandboxTimings.Fast, Seed = false }, NullLoggerFactory.Instance, _clock);
        _aws = await SandboxAws.StartAsync(_cluster, _dir.Path, NullLoggerFactory.Instance, SandboxTimings.Fast);
        _wire = new AwsWire(_aws.Url, _aws.AccessKeyId, _aws.SecretAccessKey, _clock);
    }

    private async Task StopAsync()
    {
        await _aws.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    private async Task<JsonObject?> AlarmAsync(string name)
    {
        var answer = await _wire.CloudWatchAsync("DescribeAlarms", new JsonObject { ["AlarmNames"] = new JsonArray(name) }.ToJsonString());
        answer.Status.ShouldBe(HttpStatusCode.OK);
        return answer.Body["MetricAlarms"]!.AsArray().SingleOrDefault()?.AsObject();
    }

    private async Task<string?> StateAsync(string name) => (string?)(await AlarmAsync(name))?["StateValue"];

    /// <summary>Polls until <paramref name="done"/>; fails after <paramref name="within"/> of cluster time.</summary>
    private async Task WaitAsync(Func<Task<bool>> done, TimeSpan within)
    {
        var deadline = _clock.GetUtcNow() + within;
        while (!await done())
        {
            if (_clock.GetUtcNow() > deadline)
            {
                // What the alarms and their metrics say, so a failure explains itself.
                var alarms = string.Join("\n", _aws.Alarms.List().Select(a => $"{a.Name} {a.State} {a.StateReason}"));
                var series = string.Join("\n", new[] { "UnavailableReplicas", "RestartCount" }.Select(m => m + ": " + string.Join(", ", _aws.Metrics.Read(
                    MetricId.Of("Sandbox/Workloads", m, [new("ClusterName", "sandbox"), new("Namespace", "shop"), new("Service", "cart")]), null, DateTimeOffset.UnixEpoch, _clock.GetUtcNow(), 60)
                    .Select(p => $"{p.Start:HH:mm} n={p.Values.SampleCount} max={p.Values.Maximum} sum={p.Values.Sum}"))));
                throw new ShouldAssertException($"not reached in time (cluster time)\n{alarms}\n{series}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The portal's own Kubernetes client stack, through the kubeconfig the sandbox wrote: its writes are the portal's.</summary>
    private HttpClient Kubernetes() => ClusterHttp.CreateClient(KubeconfigLoader.Load(_cluster.KubeconfigPath), new ExecCredentialProvider(TimeProvider.System));

    private static StringContent Json(string json, string contentType = "application/json") => new(json, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType));

    [Fact]
    public async Task CrashDeploy_RaisesAlarms_FixClearsThem_AndEverythingSurvivesARestart()
    {
        _cluster.Store.Create(ResourceTypes.Nodes, TestCluster.Node("node-1", "4", "8Gi"));
        using (var kube = Kubernetes())
        {
            (await kube.PostAsync("/api/v1/namespaces", Json("""{ "metadata": { "name": "shop" } }"""))).StatusCode.ShouldBe(HttpStatusCode.Created);
            (await kube.PostAsync("/apis/apps/v1/namespaces/shop/deployments", Json("""
                { "metadata": { "name": "cart" },
                  "spec": { "replicas": 1, "selector": { "matchLabels": { "app": "cart" } },
                            "template": { "metadata": { "labels": { "app": "cart" } },
                                          "spec": { "containers": [ { "name": "app", "image": "shop/cart:1.4.0-crash" } ] } } } }
                """))).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        // The portal's writes, in the trail, by the token's user with the portal's User-Agent.
        var trail = await _wire.CloudTrailAsync("LookupEvents", """{ "LookupAttributes": [ { "AttributeKey": "EventSource", "AttributeValue": "kubernetes.sandbox" } ] }""");
        var writes = trail.Body["Events"]!.AsArray().Select(e => e!.AsObject()).ToList();
        writes.Select(e => (string?)e["EventName"]).ShouldBe(["CreateDeployment", "CreateNamespace"]);
        writes.ShouldAllBe(e => (string?)e["Username"] == "portal");
        writes[0]["Resources"]!.ToJsonString().ShouldBe("""[{"ResourceType":"apps/v1/Deployment","ResourceName":"shop/cart"}]""");
        var detail = JsonNode.Parse((string)writes[0]["CloudTrailEvent"]!)!;
        ((string?)detail["userAgent"]).ShouldStartWith("Portal/1.0");
        ((string?)detail["sourceIPAddress"]).ShouldBe("127.0.0.1");
        detail["requestParameters"]!.ToJsonString().ShouldNotContain("shop/cart:1.4.0-crash", customMessage: "names only, never the body");

        // The crash loop: unavailable for 3 minutes and restarting.
        await WaitAsync(async () => await StateAsync(Unavailable) == "ALARM" && await StateAsync(Restarts) == "ALARM", TimeSpan.FromMinutes(6));
        var alarmed = (await AlarmAsync(Unavailable))!;
        ((string?)alarmed["StateReason"]).ShouldStartWith("Threshold Crossed: 3 out of the last 3 datapoints [1.0 (");
        JsonNode.Parse((string)alarmed["StateReasonData"]!)!["recentDatapoints"]!.AsArray().Select(v => (double)v!).ShouldBe([1.0, 1.0, 1.0]);

        // The fix: a good tag, patched as the portal patches.
        using (var kube = Kubernetes())
        {
            (await kube.PatchAsync("/apis/apps/v1/namespaces/shop/deployments/cart", Json(
                """{ "spec": { "template": { "spec": { "containers": [ { "name": "app", "image": "shop/cart:1.4.1" } ] } } } }""", "application/strategic-merge-patch+json")))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await WaitAsync(async () => await StateAsync(Unavailable) == "OK", TimeSpan.FromMinutes(3));
        var history = await _wire.CloudWatchAsync("DescribeAlarmHistory", $$"""{ "AlarmName": "{{Unavailable}}", "HistoryItemType": "StateUpdate", "ScanBy": "TimestampAscending" }""");
        var summaries = history.Body["AlarmHistoryItems"]!.AsArray().Select(i => (string)i!["HistorySummary"]!).ToList();
        summaries.ShouldContain(s => s.EndsWith(" to ALARM", StringComparison.Ordinal));
        summaries[^1].ShouldBe("Alarm updated from ALARM to OK");
        var patched = await _wire.CloudTrailAsync("LookupEvents", """{ "LookupAttributes": [ { "AttributeKey": "EventName", "AttributeValue": "PatchDeployment" } ] }""");
        patched.Body["Events"]!.AsArray().Count.ShouldBe(1);

        // A restart keeps the alarms' state and history, the metrics and the trail.
        var before = (await AlarmAsync(Unavailable))!;
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var metricQuery = $$"""
            { "MetricDataQueries": [ { "Id": "u", "MetricStat": { "Metric": { "Namespace": "Sandbox/Workloads", "MetricName": "UnavailableReplicas",
                "Dimensions": [ { "Name": "ClusterName", "Value": "sandbox" }, { "Name": "Namespace", "Value": "shop" }, { "Name": "Service", "Value": "cart" } ] },
                "Period": 60, "Stat": "Maximum" } } ], "StartTime": {{now - 3600}}, "EndTime": {{now}} }
            """;
        var metricsBefore = (await _wire.CloudWatchAsync("GetMetricData", metricQuery)).Body["MetricDataResults"]![0]!["Values"]!.AsArray().Select(v => (double)v!).ToList();
        metricsBefore.ShouldContain(1.0);
        var eventsBefore = _aws.Trail.Count;
        await StopAsync();

        await StartAsync();

        var after = (await AlarmAsync(Unavailable))!;
        ((string?)after["StateValue"]).ShouldBe((string?)before["StateValue"]);
        ((string?)after["StateReason"]).ShouldBe((string?)before["StateReason"]);
        ((double?)after["StateTransitionedTimestamp"]).ShouldBe((double?)before["StateTransitionedTimestamp"]);
        var historyAfter = await _wire.CloudWatchAsync("DescribeAlarmHistory", $$"""{ "AlarmName": "{{Unavailable}}", "HistoryItemType": "StateUpdate", "ScanBy": "TimestampAscending" }""");
        historyAfter.Body["AlarmHistoryItems"]!.AsArray().Select(i => (string)i!["HistorySummary"]!).Take(summaries.Count).ShouldBe(summaries);
        var metricsAfter = (await _wire.CloudWatchAsync("GetMetricData", metricQuery)).Body["MetricDataResults"]![0]!["Values"]!.AsArray().Select(v => (double)v!).ToList();
        metricsAfter.TakeLast(metricsBefore.Count).ShouldBe(metricsBefore);
        _aws.Trail.Count.ShouldBeGreaterThanOrEqualTo(eventsBefore);
        (await _wire.CloudTrailAsync("LookupEvents", """{ "LookupAttributes": [ { "AttributeKey": "EventName", "AttributeValue": "CreateNamespace" } ] }"""))
            .Body["Events"]!.AsArray().Count.ShouldBe(1);
    }
}
