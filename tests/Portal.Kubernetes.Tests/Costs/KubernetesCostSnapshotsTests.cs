using System.Net;
using System.Text.Json.Nodes;
using Portal.Core.Costs;
using Portal.Kubernetes.Costs;
using Portal.Kubernetes.Rest;
using Portal.Kubernetes.Tests.Sandbox;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;
using Portal.Testing;

namespace Portal.Kubernetes.Tests.Costs;

/// <summary>
/// A cost snapshot of the sandbox cluster, read through Portal's own client stack. The sandbox's clock is the test's,
/// so the usage its metrics API reports is known exactly (<see cref="SimulatedWorkload.Usage"/> at that instant).
/// </summary>
public sealed class KubernetesCostSnapshotsTests : IAsyncLifetime
{
    private const string Ns = RunningSandbox.Ns;
    private readonly FakeClock _clock = new();
    private RunningSandbox _sandbox = default!;

    public async Task InitializeAsync()
    {
        _sandbox = await RunningSandbox.StartAsync(clock: _clock);
        _sandbox.Store.Mutate(ResourceTypes.Nodes, null, "node-1", n =>
        {
            n["metadata"]!["labels"] = new JsonObject { ["node.kubernetes.io/instance-type"] = "m5.2xlarge" };
            n["status"]!["capacity"] = new JsonObject { ["cpu"] = "8", ["memory"] = "32Gi", ["pods"] = "110" };
            return true;
        });
        _sandbox.Create(ResourceTypes.Nodes, """
            { "metadata": { "name": "node-2", "labels": { "beta.kubernetes.io/instance-type": "m4.large" } },
              "status": { "capacity": { "cpu": "2", "memory": "8Gi", "pods": "110" }, "allocatable": { "cpu": "1930m", "memory": "7Gi", "pods": "110" },
                          "conditions": [ { "type": "Ready", "status": "True" } ] } }
            """);
        _sandbox.Create(ResourceTypes.Deployments, $$"""
            { "metadata": { "name": "orders", "namespace": "{{Ns}}" },
              "spec": { "replicas": 2, "selector": { "matchLabels": { "app": "orders" } },
                        "template": { "metadata": { "labels": { "app": "orders" } },
                                      "spec": { "containers": [ { "name": "app", "image": "orders:1", "resources": { "requests": { "cpu": "250m", "memory": "512Mi" } } } ] } } } }
            """);
        _sandbox.Create(ResourceTypes.Pods, $$"""
            { "metadata": { "name": "standalone", "namespace": "{{Ns}}" },
              "spec": { "nodeName": "node-1",
                        "initContainers": [ { "name": "warm-cache", "image": "tools:1", "resources": { "requests": { "cpu": "1", "memory": "64Mi" } } } ],
                        "containers": [ { "name": "app", "image": "tool:1", "resources": { "requests": { "cpu": "100m", "memory": "256Mi" } } } ] } }
            """);
        await RunningSandbox.EventuallyAsync(() =>
        {
            var running = _sandbox.RunningPods().Count();
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            return running == 3;
        }, "the deployment's two pods and the standalone pod run");
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private Task<ClusterCostSnapshot> SnapshotAsync(KubernetesRestClient? client = null) =>
        new KubernetesCostSnapshots(_clock).SnapshotAsync("sandbox", client ?? _sandbox.Client(), CancellationToken.None);

    [Fact]
    public async Task SnapshotAsync_Nodes_AreTheirCapacityAndInstanceType()
    {
        var snapshot = await SnapshotAsync();

        snapshot.Cluster.ShouldBe("sandbox");
        snapshot.At.ShouldBe(_clock.GetUtcNow());
        snapshot.Nodes.ShouldBe([new NodeSnapshot("node-1", "m5.2xlarge", 8, 32), new NodeSnapshot("node-2", "m4.large", 2, 8)]);
    }

    [Fact]
    public async Task SnapshotAsync_RunningPods_CarryRequestsTheirDeploymentAndTheUsageTheMetricsApiReports()
    {
        var snapshot = await SnapshotAsync();

        snapshot.Usage.ShouldBe(UsageSource.MetricsApi);
        var orders = snapshot.Pods.Where(p => p.Name.StartsWith("orders-", StringComparison.Ordinal)).ToList();
        orders.Count.ShouldBe(2);
        foreach (var pod in orders)
        {
            (pod.Namespace, pod.Service, pod.CpuRequestCores, pod.MemoryRequestGiB).ShouldBe((Ns, "orders", 0.25, 0.5));
            var stored = _sandbox.Store.Get(ResourceTypes.Pods, Ns, pod.Name)!;
            pod.Node.ShouldBe(stored["spec"]!["nodeName"]!.GetValue<string>());
            var (cpuMillis, memoryBytes) = SimulatedWorkload.Usage(stored["metadata"]!["uid"]!.GetValue<string>(), stored["spec"]!["containers"]![0]!.AsObject(), _clock.GetUtcNow());
            pod.CpuUsageCores.ShouldNotBeNull().ShouldBe(cpuMillis / 1000d, 1e-12);
            pod.MemoryUsageGiB.ShouldNotBeNull().ShouldBe(memoryBytes / 1024 * 1024 / (double)(1L << 30), 1e-12, "the metrics API reports memory in whole KiB");
        }
    }

    [Fact]
    public async Task SnapshotAsync_PodWithAnInitContainerAndNoOwner_CountsTheInitStepAndHasNoService()
    {
        var snapshot = await SnapshotAsync();

        var pod = snapshot.Pods.Single(p => p.Name == "standalone");
        (pod.Service, pod.Node, pod.CpuRequestCores, pod.MemoryRequestGiB).ShouldBe((null, "node-1", 1d, 0.25), "CPU is the init container's 1 core, memory the app's 256Mi");
    }

    [Fact]
    public async Task SnapshotAsync_PendingAndFinishedPods_AreLeftOut()
    {
        _sandbox.Create(ResourceTypes.Pods, $$"""
            { "metadata": { "name": "unschedulable", "namespace": "{{Ns}}" },
              "spec": { "nodeSelector": { "disktype": "none-has-it" }, "containers": [ { "name": "app", "image": "x:1" } ] }, "status": { "phase": "Pending" } }
            """);
        _sandbox.Create(ResourceTypes.Pods, $$"""
            { "metadata": { "name": "migration-done", "namespace": "{{Ns}}" },
              "spec": { "nodeName": "node-1", "restartPolicy": "Never", "containers": [ { "name": "app", "image": "x:1", "resources": { "requests": { "cpu": "2" } } } ] },
              "status": { "phase": "Succeeded" } }
            """);

        var snapshot = await SnapshotAsync();

        _sandbox.Store.Get(ResourceTypes.Pods, Ns, "unschedulable").ShouldNotBeNull()["status"]!["phase"]!.GetValue<string>().ShouldBe("Pending");
        snapshot.Pods.Select(p => p.Name).ShouldNotContain("unschedulable");
        snapshot.Pods.Select(p => p.Name).ShouldNotContain("migration-done");
        snapshot.Pods.Count.ShouldBe(3);
    }

    [Fact]
    public async Task SnapshotAsync_BoundClaimsLoadBalancersAndIngresses_AreThere()
    {
        _sandbox.Create(ResourceTypes.PersistentVolumeClaims, $$"""
            { "metadata": { "name": "orders-db-data", "namespace": "{{Ns}}" },
              "spec": { "accessModes": [ "ReadWriteOnce" ], "resources": { "requests": { "storage": "20Gi" } } } }
            """);
        _sandbox.Create(ResourceTypes.PersistentVolumeClaims, $$"""
            { "metadata": { "name": "lost-data", "namespace": "{{Ns}}" },
              "spec": { "accessModes": [ "ReadWriteOnce" ], "resources": { "requests": { "storage": "5Gi" } } }, "status": { "phase": "Lost" } }
            """);
        _sandbox.Create(ResourceTypes.Services, $$"""{ "metadata": { "name": "orders", "namespace": "{{Ns}}" }, "spec": { "type": "ClusterIP", "ports": [ { "port": 80 } ] } }""");
        _sandbox.Create(ResourceTypes.Services, $$"""
            { "metadata": { "name": "orders-public", "namespace": "{{Ns}}", "labels": { "portal.dev/service": "orders" } },
              "spec": { "type": "LoadBalancer", "ports": [ { "port": 443, "nodePort": 31443 } ] } }
            """);
        _sandbox.Create(ResourceTypes.Ingresses, $$"""
            { "metadata": { "name": "orders-web", "namespace": "{{Ns}}" },
              "spec": { "rules": [ { "host": "orders.test", "http": { "paths": [ { "path": "/", "pathType": "Prefix", "backend": { "service": { "name": "orders", "port": { "number": 80 } } } } ] } } ] } }
            """);
        await RunningSandbox.EventuallyAsync(
            () => _sandbox.Store.Get(ResourceTypes.PersistentVolumeClaims, Ns, "orders-db-data")?["status"]?["phase"]?.GetValue<string>() == "Bound", "the claim is bound");

        var snapshot = await SnapshotAsync();

        snapshot.Volumes.ShouldBe([new VolumeSnapshot(Ns, "orders-db-data", 20)]);
        snapshot.Network.ShouldBe([
            new NetworkSnapshot(Ns, "orders-public", NetworkKind.LoadBalancer, "orders"),
            new NetworkSnapshot(Ns, "orders-web", NetworkKind.Ingress, "orders"),
        ]);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task SnapshotAsync_MetricsApiAbsentOrUnavailable_IsRequestsOnlyWithoutUsage(HttpStatusCode answer)
    {
        await using var proxy = await MetricsFaultProxy.StartAsync(_sandbox.Http());
        proxy.MetricsAnswer = answer;
        using var http = new HttpClient { BaseAddress = new Uri(proxy.Url) };

        var snapshot = await SnapshotAsync(new KubernetesRestClient(http));

        snapshot.Usage.ShouldBe(UsageSource.RequestsOnly);
        snapshot.Pods.Count.ShouldBe(3);
        snapshot.Pods.ShouldAllBe(p => p.CpuUsageCores == null && p.MemoryUsageGiB == null);
        snapshot.Pods.Where(p => p.Service == "orders").ShouldAllBe(p => p.CpuRequestCores == 0.25);
    }

    [Fact]
    public async Task SnapshotAsync_MetricsApiRefused_FailsRatherThanHidingIt()
    {
        await using var proxy = await MetricsFaultProxy.StartAsync(_sandbox.Http());
        proxy.MetricsAnswer = HttpStatusCode.Forbidden;
        using var http = new HttpClient { BaseAddress = new Uri(proxy.Url) };

        var ex = await Should.ThrowAsync<KubernetesApiException>(() => SnapshotAsync(new KubernetesRestClient(http)));

        ex.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SnapshotAsync_PodMissingFromMetrics_HasNoUsageWhileTheOthersHaveTheirs()
    {
        await using var proxy = await MetricsFaultProxy.StartAsync(_sandbox.Http());
        proxy.HiddenFromMetrics.Add("standalone");
        using var http = new HttpClient { BaseAddress = new Uri(proxy.Url) };

        var snapshot = await SnapshotAsync(new KubernetesRestClient(http));

        snapshot.Usage.ShouldBe(UsageSource.MetricsApi);
        var standalone = snapshot.Pods.Single(p => p.Name == "standalone");
        (standalone.CpuUsageCores, standalone.MemoryUsageGiB).ShouldBe((null, null));
        standalone.CpuRequestCores.ShouldBe(1);
        snapshot.Pods.Where(p => p.Name != "standalone").ShouldAllBe(p => p.CpuUsageCores > 0 && p.MemoryUsageGiB > 0);
    }
}
