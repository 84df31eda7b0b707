using Portal.Core.Alarms;
using Portal.Sandbox.Aws.CloudTrail;
using Portal.Sandbox.Aws.CloudWatch;
using Portal.Sandbox.Tests.Kubernetes;
using Portal.Testing;

namespace Portal.Sandbox.Tests.Aws;

/// <summary>
/// A <see cref="TestCluster"/> with the sandbox's CloudWatch over it, both driven by hand: every step moves the fake
/// clock one second, runs the controllers once and ticks the monitor once, so tests see every minute close.
/// </summary>
internal sealed class MonitoredCluster : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("monitored-cluster");

    /// <param name="periodSeconds">The alarms' period: 60, or 10 for high-resolution alarms over 10-second metrics.</param>
    public MonitoredCluster(int periodSeconds = 60)
    {
        Metrics = new MetricStore(_dir.File("metrics.jsonl"), Cluster.Clock.GetUtcNow());
        Trail = new SandboxTrail(_dir.File("trail.jsonl"), Cluster.Clock, "000000000000", "us-east-1");
        Alarms = new SandboxAlarms(_dir.File("alarms.json"), Metrics, Trail, Cluster.Clock);
        Workload = new WorkloadMetrics(Cluster.Store, Metrics, periodSeconds < 60 ? 10 : 60);
        Monitor = new SandboxMonitor(Workload, Alarms, periodSeconds);
        Monitor.Tick(Cluster.Clock.GetUtcNow());
    }

    public TestCluster Cluster { get; } = new(nodes: 3);

    public MetricStore Metrics { get; }

    public SandboxTrail Trail { get; }

    public SandboxAlarms Alarms { get; }

    public WorkloadMetrics Workload { get; }

    public SandboxMonitor Monitor { get; }

    public DateTimeOffset Now => Cluster.Clock.GetUtcNow();

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _dir.Dispose();
    }

    public void Run(TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += TimeSpan.FromSeconds(1))
        {
            Step();
        }
    }

    /// <summary>Steps until <paramref name="done"/> holds; fails after <paramref name="within"/> of cluster time.</summary>
    public TimeSpan RunUntil(Func<bool> done, TimeSpan within)
    {
        var started = Now;
        while (!done())
        {
            if (Now - started > within)
            {
                throw new ShouldAssertException($"not there within {within} of cluster time");
            }

            Step();
        }

        return Now - started;
    }

    /// <summary>The alarm's state; null while it does not exist (yet).</summary>
    public AlarmState? State(string alarm) => Alarms.Find(alarm)?.State;

    /// <summary>The one-minute statistic of a workload metric, by minute start.</summary>
    public IReadOnlyDictionary<DateTimeOffset, StatisticSet> Series(string service, string metric) =>
        Metrics.Read(MetricId.Of(WorkloadMetrics.Namespace, metric, WorkloadMetrics.Dimensions(new WorkloadService(TestCluster.Ns, service))), null, DateTimeOffset.UnixEpoch, Now, 60)
            .ToDictionary(p => p.Start, p => p.Values);

    private void Step()
    {
        Cluster.Step(TimeSpan.FromSeconds(1));
        Monitor.Tick(Now);
    }
}
