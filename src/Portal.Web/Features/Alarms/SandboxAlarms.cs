using Amazon.Runtime;
using Microsoft.Extensions.Options;
using Portal.Aws.Accounts;
using Portal.Aws.CloudTrail;
using Portal.Aws.CloudWatch;
using AlarmHistoryItem = Portal.Core.Alarms.AlarmHistoryItem;
using Portal.Core.Alarms;
using Portal.Sandbox.Aws;
using Portal.Web.Clusters;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// Starts the sandbox's CloudWatch and CloudTrail next to the sandbox cluster (state in <c>$PORTAL_DATA_DIR/sandbox</c>)
/// and stops them with the app.
/// </summary>
internal sealed class SandboxAwsHost(SandboxClusterHost cluster, IOptions<AlarmsOptions> options, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly TaskCompletionSource<SandboxAws> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<SandboxAws> Started => _started.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var sandbox = await cluster.Started.WaitAsync(cancellationToken)
                ?? throw new InvalidOperationException("The sandbox cluster is disabled.");
            var directory = Path.GetDirectoryName(sandbox.KubeconfigPath)!;
            _started.TrySetResult(await SandboxAws.StartAsync(sandbox, directory, loggers, periodSeconds: options.Value.Sandbox.PeriodSeconds));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _started.TrySetException(ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_started.Task.IsCompletedSuccessfully)
        {
            await _started.Task.Result.DisposeAsync();
        }
    }
}

/// <summary>
/// The real CloudWatch and CloudTrail adapters, pointed at the sandbox's endpoint with its key pair once it has
/// started: the embedded default runs exactly the client code production runs.
/// </summary>
internal sealed class SandboxAlarmSource(SandboxAwsHost host, AwsClientFactory factory, TimeProvider clock, ILogger<CloudWatchAlarmSource> logger)
    : IAlarmSource, IChangeTrail
{
    private readonly Lazy<Task<(CloudWatchAlarmSource Alarms, CloudTrailChangeTrail Trail)>> _adapters = new(async () =>
    {
        var aws = await host.Started;
        var account = new AwsAccount("sandbox", aws.Region, () => new BasicAWSCredentials(aws.AccessKeyId, aws.SecretAccessKey), null, aws.Url, aws.Url);
        var accounts = new AwsAccounts([factory.Create(account)]);
        return (new CloudWatchAlarmSource(accounts, clock, logger), new CloudTrailChangeTrail(accounts));
    });

    public async Task<AlarmListing> ListAsync(CancellationToken ct) => await (await AdaptersAsync(ct)).Alarms.ListAsync(ct);

    public async Task<IReadOnlyList<AlarmHistoryItem>> HistoryAsync(Alarm alarm, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        await (await AdaptersAsync(ct)).Alarms.HistoryAsync(alarm, from, to, ct);

    public async Task<MetricSeries?> MetricAsync(Alarm alarm, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        await (await AdaptersAsync(ct)).Alarms.MetricAsync(alarm, from, to, ct);

    public async Task<TrailPage> LookupAsync(string environment, TrailQuery query, CancellationToken ct) =>
        await (await AdaptersAsync(ct)).Trail.LookupAsync(environment, query, ct);

    private async Task<(CloudWatchAlarmSource Alarms, CloudTrailChangeTrail Trail)> AdaptersAsync(CancellationToken ct)
    {
        try
        {
            return await _adapters.Value.WaitAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new AlarmSourceException(AwsFailure.Unavailable, $"The sandbox's CloudWatch did not start: {ex.Message}", ex);
        }
    }
}
