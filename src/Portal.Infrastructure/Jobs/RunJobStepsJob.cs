using Microsoft.Extensions.Logging;
using Portal.Core.Jobs;
using Quartz;

namespace Portal.Infrastructure.Jobs;

/// <summary>
/// The Quartz job behind every Portal job: runs its steps through <see cref="JobRunner"/> and, when a step waits for
/// its back-off, schedules the next attempt as a trigger, so the wait survives restarts and holds no thread.
/// One execution per Portal job at a time, cluster-wide.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class RunJobStepsJob(JobRunner runner, QuartzJobDispatcher dispatcher, TimeProvider clock, ILogger<RunJobStepsJob> logger) : IJob
{
    public const string JobIdKey = "portalJobId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        if (!Guid.TryParse(context.MergedJobDataMap.GetString(JobIdKey), out var id))
        {
            return;
        }

        try
        {
            var outcome = await runner.RunAsync(id, context.Scheduler.SchedulerInstanceId, cancellationToken);
            if (outcome is JobRunOutcome.RetryAt retry)
            {
                await dispatcher.DispatchAsync(id, retry.At, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // This replica is stopping: the step left Running is picked up again by the sweep or by cluster recovery.
            LogInterrupted(logger, id);
        }
        catch (Exception ex)
        {
            // The runner records step failures itself; this is its own store failing (the database went away or
            // was busy). The job stays unfinished: try again shortly, and the sweep is there if that fails too.
            LogRunFailed(logger, id, ex.Message);
            try
            {
                await dispatcher.DispatchAsync(id, clock.GetUtcNow() + TimeSpan.FromSeconds(2), CancellationToken.None);
            }
            catch (Exception again) when (again is not OutOfMemoryException)
            {
                LogRunFailed(logger, id, again.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} interrupted by shutdown; it resumes at its current step")]
    private static partial void LogInterrupted(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} could not run: {Reason}; it will be dispatched again")]
    private static partial void LogRunFailed(ILogger logger, Guid jobId, string reason);
}
