using Microsoft.Extensions.Options;
using Portal.Core.Logs;
using Portal.Infrastructure.Storage;
using Portal.Sandbox.Logs;
using Portal.Web.Clusters;

namespace Portal.Web.Features.Logs;

/// <summary>
/// With the sandbox cluster, its pods' lines reach the embedded store as a node's Fluent Bit would ship them: every
/// two seconds, through the same ingestion as <c>/ingest/_bulk</c>. A failed batch is collected again next time.
/// </summary>
internal sealed partial class SandboxLogShipping(SandboxClusterHost sandbox, LogIngestService ingest, IOptions<DataOptions> data, TimeProvider clock,
    ILogger<SandboxLogShipping> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>On a first start, the lines of the last quarter hour are shipped too, so Discover is not empty.</summary>
    public static readonly TimeSpan Backfill = TimeSpan.FromMinutes(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Portal.Sandbox.Kubernetes.SandboxCluster? cluster;
        try
        {
            cluster = await sandbox.Started.WaitAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return;   // the sandbox failed to start and says so itself
        }

        if (cluster is null)
        {
            return;
        }

        var positions = Path.Combine(Path.GetFullPath(data.Value.Directory), "sandbox", "log-positions.json");
        var shipper = new SandboxLogShipper(cluster.Store, positions, Backfill);
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                var documents = shipper.Collect(clock.GetUtcNow());
                if (documents.Count > 0)
                {
                    await ingest.IngestAsync(documents, stoppingToken);
                }

                shipper.Commit();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogShipFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shipping the sandbox pods' logs failed, will try again: {Reason}")]
    private static partial void LogShipFailed(ILogger logger, string reason);
}
