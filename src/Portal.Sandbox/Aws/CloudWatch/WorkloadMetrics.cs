using System.Globalization;
using System.Text.Json.Nodes;
using Portal.Core.Alarms;
using Portal.Core.Resources;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;
using Portal.Sandbox.Logs;

namespace Portal.Sandbox.Aws.CloudWatch;

/// <summary>
/// What a metrics agent (Container Insights, say) publishes for the sandbox's workloads: every completed minute (or, at
/// a high resolution, every 10 seconds), per Deployment (namespace and <c>app</c> label), in namespace
/// <c>Sandbox/Workloads</c> with dimensions ClusterName, Namespace and Service:
/// <list type="bullet">
/// <item><c>CPUUtilization</c>, <c>MemoryUtilization</c>: the running pods' use as a percentage of their requests
/// (<see cref="SimulatedWorkload.Usage"/>), averaged over the pods, sampled on every tick.</item>
/// <item><c>UnavailableReplicas</c>: sampled on every tick, so its Maximum is the minute's worst. It is what the
/// Deployment's status says is unavailable (a stuck rollout's surge pods included), or spec.replicas minus
/// readyReplicas when that is more.</item>
/// <item><c>RestartCount</c>: container restarts during the minute (one value; 0 when there were none).</item>
/// <item><c>HTTP5xxRate</c> and <c>LatencyAverage</c>: from the access lines (those with <c>status=</c> and
/// <c>latency_ms=</c>) the pods wrote during the minute, one sample a request (100 for a 5xx, else 0; its latency), so
/// any longer period's Average is the rate over its requests; no line, no datapoint.</item>
/// </list>
/// No running pod means no CPU, memory, 5xx or latency datapoint: missing data, as from a real agent.
/// </summary>
internal sealed class WorkloadMetrics(ObjectStore store, MetricStore metrics, int resolutionSeconds = 60)
{
    public const string Namespace = "Sandbox/Workloads";
    public const string ClusterName = "sandbox";
    public const string CpuUtilization = "CPUUtilization";
    public const string MemoryUtilization = "MemoryUtilization";
    public const string UnavailableReplicas = "UnavailableReplicas";
    public const string RestartCount = "RestartCount";
    public const string Http5xxRate = "HTTP5xxRate";
    public const string LatencyAverage = "LatencyAverage";

    private long? _openBucket;
    private DateTimeOffset _linesUntil;
    private Dictionary<WorkloadService, Gauges> _gauges = [];
    private readonly SortedDictionary<long, Dictionary<WorkloadService, Requests>> _requests = [];
    private Dictionary<string, long> _restarts = [];

    public static IReadOnlyList<MetricDimension> Dimensions(WorkloadService service) =>
        [new("ClusterName", ClusterName), new("Namespace", service.Namespace), new("Service", service.Service)];

    /// <summary>The workloads the cluster runs now: one per namespace and <c>app</c> label of its Deployments.</summary>
    public IReadOnlyList<WorkloadService> Services() => [.. store.List(ResourceTypes.Deployments).Select(ServiceOf).Distinct()];

    /// <summary>
    /// Samples the cluster at <paramref name="now"/> and publishes the periods of publication (minutes, or 10 seconds)
    /// that ended before it. Returns the start of the current one when something was published (everything before it
    /// is final), else null.
    /// </summary>
    public DateTimeOffset? Tick(DateTimeOffset now)
    {
        var bucket = Bucket(now);
        var deployments = store.List(ResourceTypes.Deployments);
        var pods = store.List(ResourceTypes.Pods);
        var services = deployments.Select(ServiceOf).ToHashSet();
        DateTimeOffset? closed = null;
        if (_openBucket is null)
        {
            // The first look: restarts so far and lines written before it are history, not this minute's.
            _openBucket = bucket;
            _linesUntil = now;
            _restarts = pods.ToDictionary(J.Uid, Restarts);
        }
        else
        {
            CountRequests(pods, services, now);
            if (bucket > _openBucket)
            {
                Publish(bucket, now);
                closed = DateTimeOffset.FromUnixTimeSeconds(bucket);
            }
        }

        Sample(deployments, pods, services, now);
        return closed;
    }

    private void Sample(IReadOnlyList<JsonObject> deployments, IReadOnlyList<JsonObject> pods, HashSet<WorkloadService> services, DateTimeOffset now)
    {
        foreach (var service in services)
        {
            var gauges = GaugesOf(service);
            var unavailable = deployments.Where(d => ServiceOf(d) == service).Sum(d =>
            {
                var wanted = J.Long(d, "spec", "replicas") ?? 1;
                var ready = J.Long(d, "status", "readyReplicas") ?? 0;
                return Math.Max(0, Math.Max(J.Long(d, "status", "unavailableReplicas") ?? 0, wanted - ready));
            });
            gauges.Unavailable = gauges.Unavailable.Add(unavailable);
        }

        var restarts = new Dictionary<string, long>(pods.Count);
        var usage = new Dictionary<WorkloadService, (StatisticSet Cpu, StatisticSet Memory, int Pods)>();
        foreach (var pod in pods)
        {
            var uid = J.Uid(pod);
            var count = restarts[uid] = Restarts(pod);
            if (PodService(pod) is not { } service || !services.Contains(service))
            {
                continue;
            }

            // A pod first seen now restarted since it was created: every restart it has is new.
            GaugesOf(service).Restarts += Math.Max(0, count - _restarts.GetValueOrDefault(uid));
            if (IsRunning(pod))
            {
                var (cpu, memory) = Utilization(pod, now);
                var sum = usage.GetValueOrDefault(service);
                usage[service] = (sum.Cpu.Add(cpu), sum.Memory.Add(memory), sum.Pods + 1);
            }
        }

        _restarts = restarts;
        foreach (var (service, (cpu, memory, _)) in usage)
        {
            // One sample per tick: the average over the running pods.
            var gauges = GaugesOf(service);
            gauges.Cpu = gauges.Cpu.Add(cpu.Value("Average"));
            gauges.Memory = gauges.Memory.Add(memory.Value("Average"));
        }
    }

    /// <summary>Counts the access lines every pod wrote since the last tick, into the minute each line belongs to.</summary>
    private void CountRequests(IReadOnlyList<JsonObject> pods, HashSet<WorkloadService> services, DateTimeOffset now)
    {
        var since = _linesUntil.AddTicks(1);
        foreach (var pod in pods)
        {
            if (PodService(pod) is not { } service || !services.Contains(service))
            {
                continue;
            }

            foreach (var container in J.Objects(J.At(pod, "status", "containerStatuses")).Select(c => J.Str(c, "name")).OfType<string>())
            {
                // The previous run for lines it wrote before a crash since the last tick; Distinct as the log shipper does.
                var runs = new[] { SimulatedWorkload.RunOf(pod, container, previous: true), SimulatedWorkload.RunOf(pod, container, previous: false) };
                foreach (var run in runs.OfType<SimulatedWorkload.Run>().Distinct().Where(r => r.Finished is null || r.Finished >= since))
                {
                    foreach (var line in SimulatedWorkload.Lines(run, since, now))
                    {
                        Count(service, line);
                    }
                }
            }
        }

        _linesUntil = now;
    }

    private void Count(WorkloadService service, LogLine line)
    {
        string? status = null, latency = null;
        foreach (var (key, value) in SandboxLogShipper.Logfmt(line.Text))
        {
            status = key == "status" ? value : status;
            latency = key == "latency_ms" ? value : latency;
        }

        if (!int.TryParse(status, CultureInfo.InvariantCulture, out var code) || !double.TryParse(latency, CultureInfo.InvariantCulture, out var ms))
        {
            return;
        }

        var bucket = Bucket(line.Time);
        if (!_requests.TryGetValue(bucket, out var byService))
        {
            _requests[bucket] = byService = [];
        }

        var requests = byService.GetValueOrDefault(service) ?? (byService[service] = new Requests());
        requests.Errors = requests.Errors.Add(code >= 500 ? 100 : 0);
        requests.Latency = requests.Latency.Add(ms);
    }

    /// <summary>Publishes the open period's samples and the requests of every period before <paramref name="current"/>; opens <paramref name="current"/>.</summary>
    private void Publish(long current, DateTimeOffset now)
    {
        var data = new List<MetricDatum>();
        var open = DateTimeOffset.FromUnixTimeSeconds(_openBucket!.Value);
        foreach (var (service, gauges) in _gauges)
        {
            Add(data, service, UnavailableReplicas, "Count", open, gauges.Unavailable);
            Add(data, service, CpuUtilization, "Percent", open, gauges.Cpu);
            Add(data, service, MemoryUtilization, "Percent", open, gauges.Memory);
            Add(data, service, RestartCount, "Count", open, StatisticSet.Of(gauges.Restarts));
        }

        foreach (var bucket in _requests.Keys.Where(b => b < current).ToList())
        {
            var at = DateTimeOffset.FromUnixTimeSeconds(bucket);
            foreach (var (service, requests) in _requests[bucket])
            {
                Add(data, service, Http5xxRate, "Percent", at, requests.Errors);
                Add(data, service, LatencyAverage, "Milliseconds", at, requests.Latency);
            }

            _requests.Remove(bucket);
        }

        metrics.Publish(data, now);
        _gauges = [];
        _openBucket = current;
    }

    private void Add(List<MetricDatum> data, WorkloadService service, string metric, string unit, DateTimeOffset start, StatisticSet values)
    {
        if (values.SampleCount > 0)
        {
            data.Add(new MetricDatum(MetricId.Of(Namespace, metric, Dimensions(service)), unit, start, values, resolutionSeconds));
        }
    }

    /// <summary>The start, in seconds since the epoch, of the period of publication <paramref name="t"/> falls in.</summary>
    private long Bucket(DateTimeOffset t) => Floor(t.ToUnixTimeSeconds(), resolutionSeconds);

    private Gauges GaugesOf(WorkloadService service) => _gauges.GetValueOrDefault(service) ?? (_gauges[service] = new Gauges());

    private static WorkloadService ServiceOf(JsonObject deployment) => new(
        J.Namespace(deployment) ?? "default",
        J.Str(deployment, "spec", "template", "metadata", "labels", "app") ?? J.Str(deployment, "metadata", "labels", "app") ?? J.Name(deployment));

    private static WorkloadService? PodService(JsonObject pod) =>
        J.Str(pod, "metadata", "labels", "app") is { } app ? new WorkloadService(J.Namespace(pod) ?? "default", app) : null;

    private static long Restarts(JsonObject pod) => J.Objects(J.At(pod, "status", "containerStatuses")).Sum(c => J.Long(c, "restartCount") ?? 0);

    private static bool IsRunning(JsonObject pod) =>
        J.Str(pod, "status", "phase") == "Running" && !J.IsTerminating(pod)
        && J.Objects(J.At(pod, "status", "containerStatuses")).Any(c => J.At(c, "state", "running") is not null);

    /// <summary>A running pod's CPU and memory use, in percent of its running containers' requests.</summary>
    private static (double Cpu, double Memory) Utilization(JsonObject pod, DateTimeOffset now)
    {
        var running = J.Objects(J.At(pod, "status", "containerStatuses")).Where(c => J.At(c, "state", "running") is not null).Select(c => J.Str(c, "name")).ToHashSet();
        double cpu = 0, memory = 0, cpuRequests = 0, memoryRequests = 0;
        foreach (var container in J.Objects(J.At(pod, "spec", "containers")).Where(c => running.Contains(J.Str(c, "name"))))
        {
            var (usedCpu, usedMemory) = SimulatedWorkload.Usage(J.Uid(pod), container, now);
            var requests = J.At(container, "resources", "requests");
            cpu += usedCpu;
            memory += usedMemory;
            // The defaults SimulatedWorkload.Usage assumes for a container without requests.
            cpuRequests += Quantity.CpuMillis(J.Str(requests, "cpu")) is > 0 and var c ? c : 100;
            memoryRequests += Quantity.Bytes(J.Str(requests, "memory")) is > 0 and var m ? m : 128L << 20;
        }

        return (100 * cpu / cpuRequests, 100 * memory / memoryRequests);
    }

    private static long Floor(long value, long step) => value - (((value % step) + step) % step);

    private sealed class Gauges
    {
        public StatisticSet Unavailable { get; set; }

        public StatisticSet Cpu { get; set; }

        public StatisticSet Memory { get; set; }

        public long Restarts { get; set; }
    }

    private sealed class Requests
    {
        /// <summary>One sample a request: 100 when it failed with a 5xx status, else 0.</summary>
        public StatisticSet Errors { get; set; }

        /// <summary>Every access line's latency: its SampleCount is the number of requests.</summary>
        public StatisticSet Latency { get; set; }
    }
}
