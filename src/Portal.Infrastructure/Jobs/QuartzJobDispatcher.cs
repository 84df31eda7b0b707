using Portal.Core.Jobs;
using Quartz;

namespace Portal.Infrastructure.Jobs;

/// <summary>
/// Each Portal job is one Quartz job (<c>portal-jobs.{id}</c>) with recovery requested, so that a firing cut short by
/// a crash is fired again on restart or, in a cluster, by another replica. A dispatch adds one trigger.
/// </summary>
public sealed class QuartzJobDispatcher(JobEngineHost host, TimeProvider clock) : IJobDispatcher
{
    public const string Group = "portal-jobs";

    public static JobKey KeyFor(Guid id) => new(id.ToString("N"), Group);

    /// <summary>Quartz takes its time from the container's TimeProvider, the same clock Portal's times come from.</summary>
    private DateTimeOffset QuartzTime(DateTimeOffset? at) => at ?? clock.GetUtcNow();

    public async Task DispatchAsync(Guid jobId, DateTimeOffset? at, CancellationToken ct)
    {
        var scheduler = await host.SchedulerAsync(ct);
        var key = KeyFor(jobId);
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"{jobId:N}.{Guid.NewGuid():N}", Group)
            .ForJob(key)
            .StartAt(QuartzTime(at))
            .Build();
        if (await scheduler.Exists(key, ct))
        {
            await scheduler.ScheduleJob(trigger, cancellationToken: ct);
            return;
        }

        var job = JobBuilder.Create<RunJobStepsJob>()
            .WithIdentity(key)
            .UsingJobData(RunJobStepsJob.JobIdKey, jobId.ToString())
            .RequestRecovery()
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, cancellationToken: ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Another replica (or the sweep) dispatched it a moment ago: add our trigger to its job instead.
            await scheduler.ScheduleJob(trigger, cancellationToken: ct);
        }
    }
}
