using Microsoft.Extensions.Logging;
using Portal.Core.Approvals;
using Portal.Core.Environments;
using Portal.Core.Jobs;
using Quartz;

namespace Portal.Infrastructure.Jobs;

/// <summary>
/// The sweep, on every replica, every <see cref="JobEngineOptions.SweepInterval"/>: dispatches unfinished jobs that
/// no scheduler holds (committed while the scheduler was down, or interrupted by a graceful stop), destroys
/// expired environments, and lapses expired approval requests.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class ResumeJobsJob(IJobStore store, QuartzJobDispatcher dispatcher, EnvironmentExpiry expiry, ApprovalService approvals, ILogger<ResumeJobsJob> logger) : IJob
{
    public static readonly JobKey Key = new("sweep", "portal-system");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            foreach (var job in await store.UnfinishedAsync(cancellationToken))
            {
                if (!await context.Scheduler.Exists(QuartzJobDispatcher.KeyFor(job.Id), cancellationToken))
                {
                    LogResumed(logger, job.Id, job.CurrentStep?.Name ?? "-");
                    await dispatcher.DispatchAsync(job.Id, null, cancellationToken);
                }
            }

            await expiry.DestroyExpiredAsync(cancellationToken);
            await approvals.ExpireAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSweepFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} had no trigger; dispatched it to resume at step {Step}")]
    private static partial void LogResumed(ILogger logger, Guid jobId, string step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job sweep failed, will try again: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
