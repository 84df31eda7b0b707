using Microsoft.Extensions.Options;
using Portal.Core.Logs;
using Portal.Logs.Embedded;

namespace Portal.Web.Features.Logs;

/// <summary>
/// Retention of the embedded store, hourly and once at start: documents older than <c>Logs:Embedded:RetentionDays</c>
/// go, then the oldest until the file is under <c>Logs:Embedded:MaxSizeMegabytes</c>.
/// </summary>
internal sealed partial class PruneLogsJob(ILogStore store, IOptions<EmbeddedLogOptions> options, TimeProvider clock, ILogger<PruneLogsJob> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                var o = options.Value;
                var result = await store.PruneAsync(clock.GetUtcNow().AddDays(-o.RetentionDays), o.MaxSizeMegabytes * 1024L * 1024L, stoppingToken);
                if (result.DeletedByAge + result.DeletedBySize > 0)
                {
                    LogPruned(logger, result.DeletedByAge, result.DeletedBySize, result.BytesAfter / (1024 * 1024));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPruneFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Log retention removed {ByAge} documents by age and {BySize} by size; the store is {Megabytes} MiB")]
    private static partial void LogPruned(ILogger logger, long byAge, long bySize, long megabytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log retention failed, will try again: {Reason}")]
    private static partial void LogPruneFailed(ILogger logger, string reason);
}
