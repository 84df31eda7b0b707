using Portal.Core.Alarms;
using Portal.Sandbox.Aws.CloudWatch;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;
using Portal.Sandbox.Tests.Kubernetes;

namespace Portal.Sandbox.Tests.Aws.CloudWatch;

public sealed class WorkloadMetricsTests : IAsyncLifetime
{
    private const string Requests = """{ "requests": { "cpu": "200m", "memory": "256Mi" } }""";
    private readonly MonitoredCluster _monitored = new();
    private DateTimeOffset _start;

    public Task InitializeAsync()
    {
        _start = _monitored.Now;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _monitored.DisposeAsync();

    private DateTimeOffset Minute(int n) => _start.AddMinutes(n);

    [Fact]
    public void Tick_HealthyDeployment_PublishesEveryMetricEachMinute()
    {
        _monitored.Cluster.CreateDeployment("cart", "shop/cart:1.4.0", replicas: 2, resources: Requests);

        _monitored.Run(TimeSpan.FromMinutes(4));

        _monitored.Series("cart", WorkloadMetrics.UnavailableReplicas)[Minute(0)].Maximum.ShouldBe(2, "both pods start unready");
        _monitored.Series("cart", WorkloadMetrics.UnavailableReplicas)[Minute(2)].Maximum.ShouldBe(0);
        var cpu = _monitored.Series("cart", WorkloadMetrics.CpuUtilization)[Minute(2)];
        cpu.SampleCount.ShouldBe(60, "one sample a tick");
        cpu.Minimum.ShouldBeGreaterThanOrEqualTo(14);
        cpu.Maximum.ShouldBeLessThanOrEqualTo(96);
        _monitored.Series("cart", WorkloadMetrics.MemoryUtilization)[Minute(2)].Value("Average").ShouldBeInRange(44, 86);
        _monitored.Series("cart", WorkloadMetrics.RestartCount)[Minute(2)].Sum.ShouldBe(0);

        // The request metrics, against the pods' own lines for that minute.
        var lines = _monitored.Cluster.Pods()
            .Select(p => SimulatedWorkload.RunOf(p, "app", previous: false)!)
            .SelectMany(run => SimulatedWorkload.Lines(run, Minute(2), Minute(3).AddTicks(-1)))
            .Where(l => l.Text.Contains(" status=", StringComparison.Ordinal)).ToList();
        var latency = _monitored.Series("cart", WorkloadMetrics.LatencyAverage)[Minute(2)];
        latency.SampleCount.ShouldBe(lines.Count);
        lines.Count.ShouldBeGreaterThan(20);
        var errors = lines.Count(l => l.Text.Contains(" status=5", StringComparison.Ordinal));
        var rate = _monitored.Series("cart", WorkloadMetrics.Http5xxRate)[Minute(2)];
        rate.Value("Average").ShouldBe(100.0 * errors / lines.Count, 1e-9);
        rate.SampleCount.ShouldBe(lines.Count, "one sample a request, so longer periods weigh minutes by their requests");
    }

    [Fact]
    public void Tick_ErrorsImage_AboutHalfTheRequestsFail()
    {
        _monitored.Cluster.CreateDeployment("cart", "shop/cart:1.4.0-errors", replicas: 2);

        _monitored.Run(TimeSpan.FromMinutes(4));

        var rates = _monitored.Series("cart", WorkloadMetrics.Http5xxRate);
        foreach (var minute in new[] { Minute(1), Minute(2), Minute(3) })
        {
            rates[minute].Value("Average").ShouldBeInRange(25, 75);
        }
    }

    [Fact]
    public void Tick_CrashingDeployment_IsUnavailableAndRestarts()
    {
        _monitored.Cluster.CreateDeployment("cart", "shop/cart:1.4.0-crash", replicas: 1);

        _monitored.Run(TimeSpan.FromMinutes(4));

        var unavailable = _monitored.Series("cart", WorkloadMetrics.UnavailableReplicas);
        Enumerable.Range(0, 4).Select(m => unavailable[Minute(m)].Maximum).ShouldAllBe(max => max == 1);
        var restarts = _monitored.Series("cart", WorkloadMetrics.RestartCount);
        var restarted = J.Long(J.At(_monitored.Cluster.Pods().Single(), "status", "containerStatuses")!.AsArray()[0], "restartCount") ?? 0;
        restarted.ShouldBeGreaterThan(10);
        // Every restart is counted once, in the minute it happened; one may have happened in the minute still open.
        Enumerable.Range(0, 4).Sum(m => restarts[Minute(m)].Sum).ShouldBeInRange(restarted - 1, restarted);
    }

    [Fact]
    public void Tick_NoRunningPod_PublishesNoCpuNorRequestDatapoint()
    {
        _monitored.Cluster.CreateDeployment("cart", "shop/cart:1.4.0", replicas: 0);

        _monitored.Run(TimeSpan.FromMinutes(3));

        _monitored.Series("cart", WorkloadMetrics.UnavailableReplicas)[Minute(1)].Maximum.ShouldBe(0);
        _monitored.Series("cart", WorkloadMetrics.RestartCount)[Minute(1)].Sum.ShouldBe(0);
        _monitored.Series("cart", WorkloadMetrics.CpuUtilization).ShouldBeEmpty();
        _monitored.Series("cart", WorkloadMetrics.MemoryUtilization).ShouldBeEmpty();
        _monitored.Series("cart", WorkloadMetrics.Http5xxRate).ShouldBeEmpty();
        _monitored.Series("cart", WorkloadMetrics.LatencyAverage).ShouldBeEmpty();
    }

    [Fact]
    public void Dimensions_NameTheClusterNamespaceAndService() =>
        WorkloadMetrics.Dimensions(new WorkloadService("prod", "cart")).ShouldBe([new MetricDimension("ClusterName", "sandbox"), new MetricDimension("Namespace", "prod"), new MetricDimension("Service", "cart")]);
}
