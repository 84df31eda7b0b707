using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Core.Jobs;
using Portal.Infrastructure.Persistence;
using Quartz;

namespace Portal.Infrastructure.Jobs;

/// <summary>
/// Starts the Quartz scheduler once the database is migrated (it may come up later than the portal; see
/// DatabaseInitializer), schedules the sweep, and stops the scheduler without waiting for running steps: they
/// resume where they were. Hands the started scheduler to the dispatcher.
/// </summary>
public sealed partial class JobEngineHost(
    ISchedulerFactory factory,
    DatabaseInitializer database,
    IOptions<JobEngineOptions> options,
    ILogger<JobEngineHost> logger,
    SqliteSchedulerFile? sqliteFile = null) : BackgroundService
{
    private readonly TaskCompletionSource<IScheduler> _scheduler = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public JobEngineState State => !options.Value.Enabled ? JobEngineState.Off
        : _scheduler.Task.IsCompletedSuccessfully ? JobEngineState.Running : JobEngineState.Starting;

    /// <summary>The running scheduler; waits while the database is still being prepared.</summary>
    public async Task<IScheduler> SchedulerAsync(CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            throw new InvalidOperationException("The job scheduler is switched off in this process (Jobs:Enabled=false).");
        }

        // Briefly, for the moments after start; a request never hangs on a scheduler that is not up (the sweep
        // dispatches what could not be dispatched then).
        return await _scheduler.Task.WaitAsync(TimeSpan.FromSeconds(5), ct);
    }

    /// <summary>
    /// Like the migrations: the first attempt runs before the server listens when the database is already
    /// migrated, so a replica answers ready with its scheduler running; otherwise it starts in the background.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Enabled && database.Initialized.IsCompletedSuccessfully)
        {
            await TryStartAsync(cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || _scheduler.Task.IsCompleted)
        {
            return;
        }

        await database.Initialized.WaitAsync(stoppingToken);
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested && !await TryStartAsync(stoppingToken))
        {
            await Task.Delay(delay, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    private async Task<bool> TryStartAsync(CancellationToken ct)
    {
        try
        {
            if (sqliteFile is not null)
            {
                await sqliteFile.PrepareAsync(ct);
            }

            var scheduler = await factory.GetScheduler(ct);
            await scheduler.Start(ct);
            await ScheduleSweepAsync(scheduler, ct);
            _scheduler.TrySetResult(scheduler);
            LogStarted(logger, scheduler.SchedulerInstanceId);
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogNotStarted(logger, ex.Message);
            return false;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_scheduler.Task.IsCompletedSuccessfully)
        {
            await _scheduler.Task.Result.Shutdown(waitForJobsToComplete: false, cancellationToken);
        }
    }

    private async Task ScheduleSweepAsync(IScheduler scheduler, CancellationToken ct)
    {
        var sweep = JobBuilder.Create<ResumeJobsJob>().WithIdentity(ResumeJobsJob.Key).StoreDurably().Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity("sweep", ResumeJobsJob.Key.Group)
            .ForJob(ResumeJobsJob.Key)
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(options.Value.SweepInterval).RepeatForever())
            .Build();

        // Replaced at every start, so a changed interval applies and a restarted replica sweeps at once.
        await scheduler.ScheduleJob(sweep, [trigger], ScheduleJobOptions.Replacing, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job scheduler started as {InstanceId}")]
    private static partial void LogStarted(ILogger logger, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job scheduler not started yet, will retry: {Reason}")]
    private static partial void LogNotStarted(ILogger logger, string reason);
}
