using Microsoft.Extensions.Logging;
using Portal.Sandbox.Aws.CloudTrail;
using Portal.Sandbox.Aws.CloudWatch;
using Portal.Sandbox.Aws.Protocol;
using Portal.Sandbox.Kubernetes;
using Portal.Sandbox.Kubernetes.Api;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Aws;

/// <summary>
/// The embedded CloudWatch and CloudTrail of the sandbox cluster, on one loopback HTTP endpoint that speaks their
/// JSON protocols with SigV4: alarms over the cluster's simulated metrics, evaluated with CloudWatch's semantics, and
/// a trail of the cluster's infrastructure changes. The portal reads it with its real AWS clients, configured with
/// <see cref="Url"/>, <see cref="Region"/> and the key pair. Its credentials, alarms, metrics and trail are kept in
/// the sandbox directory and survive restarts.
/// </summary>
public sealed partial class SandboxAws : IAsyncDisposable
{
    /// <summary>The account the sandbox's ARNs and events name (LocalStack's convention for a fake account).</summary>
    public const string SandboxAccountId = "000000000000";

    /// <summary>The one region the sandbox answers in (a request signed for another is refused).</summary>
    public const string SandboxRegion = "us-east-1";

    private readonly SandboxAwsServer _server;
    private readonly IDisposable? _audit;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _disposed;

    private SandboxAws(SandboxAwsServer server, SandboxCredentials credentials, SandboxMonitor monitor, SandboxAlarms alarms, MetricStore metrics, SandboxTrail trail, IDisposable? audit,
        TimeProvider clock, TimeSpan tick, ILogger logger)
    {
        _server = server;
        AccessKeyId = credentials.AccessKeyId;
        SecretAccessKey = credentials.SecretAccessKey;
        Monitor = monitor;
        Alarms = alarms;
        Metrics = metrics;
        Trail = trail;
        _audit = audit;
        _clock = clock;
        _logger = logger;
        _loop = Task.Run(() => RunAsync(tick, _stop.Token));
    }

    /// <summary>The endpoint for both services, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url => _server.Url;

    public string Region => SandboxRegion;

    public string AccountId => SandboxAccountId;

    public string AccessKeyId { get; }

    /// <summary>The secret to sign with; never log it.</summary>
    public string SecretAccessKey { get; }

    internal SandboxMonitor Monitor { get; }

    internal SandboxAlarms Alarms { get; }

    internal MetricStore Metrics { get; }

    internal SandboxTrail Trail { get; }

    /// <summary>Starts CloudWatch and CloudTrail next to a running sandbox cluster, recording the writes its API serves.</summary>
    /// <param name="cluster">The running cluster.</param>
    /// <param name="directory">Where credentials and state are kept (the cluster's directory will do).</param>
    /// <param name="loggers">Loggers.</param>
    /// <param name="timings">How often metrics are sampled (<see cref="SandboxTimings.Tick"/>).</param>
    /// <param name="port">0: any free loopback port.</param>
    /// <param name="periodSeconds">The period of the workloads' alarms: 60, or 10 or 30 for high-resolution alarms.</param>
    public static Task<SandboxAws> StartAsync(SandboxCluster cluster, string directory, ILoggerFactory loggers, SandboxTimings? timings = null, int port = 0, int periodSeconds = 60) =>
        StartAsync(cluster.Store, directory, cluster.Store.Clock, timings, loggers, cluster.Audit, port, periodSeconds);

    /// <param name="store">The cluster whose workloads are measured.</param>
    /// <param name="directory">Where credentials and state are kept (the sandbox cluster's directory will do).</param>
    /// <param name="clock">The cluster's clock.</param>
    /// <param name="timings">How often metrics are sampled (<see cref="SandboxTimings.Tick"/>).</param>
    /// <param name="loggers">Loggers.</param>
    /// <param name="audit">The cluster API's writes, for the trail; none: the trail has the alarms' calls only.</param>
    /// <param name="port">0: any free loopback port.</param>
    /// <param name="periodSeconds">The period of the workloads' alarms: 60, or 10 or 30 for high-resolution alarms (the
    /// metrics are then published every 10 seconds).</param>
    public static async Task<SandboxAws> StartAsync(ObjectStore store, string directory, TimeProvider clock, SandboxTimings? timings, ILoggerFactory loggers,
        ApiAudit? audit = null, int port = 0, int periodSeconds = 60)
    {
        if (!AlarmEvaluator.IsAlarmPeriod(periodSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(periodSeconds), periodSeconds, "The sandbox's alarm period must be 10 or 30 seconds, or a multiple of 60.");
        }

        var logger = loggers.CreateLogger("Portal.Sandbox.Aws");
        Directory.CreateDirectory(directory);
        var credentials = SandboxCredentials.LoadOrCreate(Path.Combine(directory, "aws-credentials.json"));
        var region = SandboxRegion;
        var trail = new SandboxTrail(Path.Combine(directory, "cloudtrail-events.jsonl"), clock, SandboxAccountId, region);
        var metrics = new MetricStore(Path.Combine(directory, "cloudwatch-metrics.jsonl"), clock.GetUtcNow());
        var alarms = new SandboxAlarms(Path.Combine(directory, "cloudwatch-alarms.json"), metrics, trail, clock);
        var monitor = new SandboxMonitor(new WorkloadMetrics(store, metrics, periodSeconds < 60 ? 10 : 60), alarms, periodSeconds);
        var subscription = audit is null ? null : KubernetesTrail.Connect(audit, trail);

        var operations = new Dictionary<string, AwsOperation>(StringComparer.Ordinal);
        foreach (var (name, handle) in new CloudWatchApi(alarms, metrics).Operations)
        {
            operations[$"{AwsJsonService.CloudWatch.TargetPrefix}.{name}"] = new AwsOperation(AwsJsonService.CloudWatch, handle);
        }

        foreach (var (name, handle) in new CloudTrailApi(trail, clock).Operations)
        {
            operations[$"{AwsJsonService.CloudTrail.TargetPrefix}.{name}"] = new AwsOperation(AwsJsonService.CloudTrail, handle);
        }

        var server = await SandboxAwsServer.StartAsync(port, new SigV4Verifier(credentials.AccessKeyId, credentials.SecretAccessKey, region, clock), operations, loggers);
        LogStarted(logger, server.Url);
        return new SandboxAws(server, credentials, monitor, alarms, metrics, trail, subscription, clock, (timings ?? new SandboxTimings()).Tick, logger);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loop.ConfigureAwait(false);
        _audit?.Dispose();
        await _server.DisposeAsync();
        Alarms.Save();
        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan tick, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                Monitor.Tick(_clock.GetUtcNow());
                await Task.Delay(tick, _clock, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                // A failed tick (a full disk, say) is logged and the next one tries again, as the controllers do.
                LogTickFailed(_logger, ex);
                await Task.Delay(tick, _clock, CancellationToken.None);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox CloudWatch and CloudTrail at {Url}")]
    private static partial void LogStarted(ILogger logger, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sandbox's CloudWatch tick failed; trying again")]
    private static partial void LogTickFailed(ILogger logger, Exception ex);
}
