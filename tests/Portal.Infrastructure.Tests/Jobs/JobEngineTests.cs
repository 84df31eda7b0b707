using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Jobs;
using Portal.Testing;
using Shouldly;
using Xunit;

namespace Portal.Infrastructure.Tests.Jobs;

/// <summary>
/// The job engine as it runs in production: Quartz with its persistent store, on SQLite (embedded default) and on
/// a real PostgreSQL server with two clustered scheduler instances.
/// </summary>
public sealed class JobEngineTests : IDisposable
{
    private readonly TempDirectory _data = new("portal-jobs");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task RunJob_StepFailsTwiceThenSucceeds_RetriesWithBackoffAndSucceeds()
    {
        var script = new StepScript();
        var failures = 0;
        script.Behaviour["flaky"] = (_, _) => Interlocked.Increment(ref failures) <= 2 ? throw new JobStepException("the cluster said 503") : Task.CompletedTask;
        await using var replica = await JobEngineReplica.StartAsync(SqliteSettings(), script);

        var id = await replica.SubmitAsync("first", "flaky", "last");
        var job = await replica.WaitAsync(id, j => j.IsFinished);

        job.State.ShouldBe(JobState.Succeeded);
        job.Steps.Select(s => s.Attempts).ShouldBe([1, 3, 1]);
        script.Count(id, "first").ShouldBe(1);
        script.Count(id, "flaky").ShouldBe(3);
        var log = await replica.Services.GetService<IJobStore>()!.LogAsync(id, 0, 100, CancellationToken.None);
        log.Count(l => l.Level == "warning" && l.Message.Contains("the cluster said 503", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task RunJob_StepAlwaysFails_JobFailsNamingStepAndReason()
    {
        var script = new StepScript();
        script.Behaviour["broken"] = (_, _) => throw new JobStepException("quota admission refused the object");
        await using var replica = await JobEngineReplica.StartAsync(SqliteSettings(), script);

        var id = await replica.SubmitAsync("first", "broken", "never");
        var job = await replica.WaitAsync(id, j => j.IsFinished);

        job.State.ShouldBe(JobState.Failed);
        job.Error.ShouldBe("Step 'broken' failed after 3 attempts: quota admission refused the object");
        job.Steps[2].State.ShouldBe(StepState.Pending);
        script.Count(id, "never").ShouldBe(0);

        // Each step's outcome is audited once, under the person the job works for.
        var audit = await replica.Services.GetRequiredService<Portal.Core.Audit.IAuditReader>().QueryAsync(
            new Portal.Core.Audit.AuditQuery { Environment = job.Environment, Action = JobRunner.StepAuditAction }, null, true, CancellationToken.None);
        audit.Records.OrderBy(r => r.At).Select(r => (r.Target, r.Actor, r.Channel, r.Outcome)).ShouldBe(
        [
            ("test.scripted:first", "alice", "job", Portal.Core.Audit.AuditOutcome.Succeeded),
            ("test.scripted:broken", "alice", "job", Portal.Core.Audit.AuditOutcome.Failed),
        ]);
        audit.Records.Single(r => r.Outcome == Portal.Core.Audit.AuditOutcome.Failed).Reason.ShouldBe("quota admission refused the object");
    }

    [Fact]
    public async Task Restart_BetweenTwoSteps_ResumesAtTheStepThatDidNotCompleteWithoutRepeatingTheFirst()
    {
        var script = new StepScript();
        var blocked = new TaskCompletionSource();
        script.Behaviour["second"] = async (_, ct) =>
        {
            blocked.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        };

        Guid id;
        await using (var first = await JobEngineReplica.StartAsync(SqliteSettings(), script))
        {
            id = await first.SubmitAsync("first", "second", "third");
            await blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await first.StopAsync();
            var stopped = await first.FindAsync(id);
            stopped!.Steps.Select(s => s.State).ShouldBe([StepState.Succeeded, StepState.Running, StepState.Pending]);
        }

        script.Behaviour.TryRemove("second", out _);
        await using var second = await JobEngineReplica.StartAsync(SqliteSettings(), script);
        var job = await second.WaitAsync(id, j => j.IsFinished);

        job.State.ShouldBe(JobState.Succeeded);
        script.Count(id, "first").ShouldBe(1);
        script.Count(id, "second").ShouldBe(2);
        script.Count(id, "third").ShouldBe(1);
        job.Steps[0].Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task Cancel_WhileAStepRuns_CurrentStepFinishesAndTheRestAreSkipped()
    {
        var script = new StepScript();
        var inSecond = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        script.Behaviour["second"] = async (_, _) =>
        {
            inSecond.TrySetResult();
            await release.Task;
        };
        await using var replica = await JobEngineReplica.StartAsync(SqliteSettings(), script);

        var id = await replica.SubmitAsync("first", "second", "third");
        await inSecond.Task.WaitAsync(TimeSpan.FromSeconds(30));
        (await replica.Services.GetService<IJobStore>()!.RequestCancelAsync(id, "bob", CancellationToken.None)).ShouldBeTrue();
        release.SetResult();
        var job = await replica.WaitAsync(id, j => j.IsFinished);

        job.State.ShouldBe(JobState.Cancelled);
        job.CancelledBy.ShouldBe("bob");
        job.Steps.Select(s => s.State).ShouldBe([StepState.Succeeded, StepState.Succeeded, StepState.Skipped]);
        script.Count(id, "third").ShouldBe(0);
    }

    [Fact]
    public async Task Cluster_TwoSchedulersOnPostgreSql_ShareTheJobsAndRunEachStepOnce()
    {
        var settings = await PostgresSettingsAsync();
        var script = new StepScript();
        var workers = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        var both = new TaskCompletionSource();
        script.Behaviour["first"] = async (context, _) =>
        {
            workers[context.Job.Worker!] = true;
            if (workers.Count >= 2)
            {
                both.TrySetResult();
            }

            // Each replica runs two jobs at once; holding them here until the other replica runs one proves both take work.
            await both.Task.WaitAsync(TimeSpan.FromSeconds(30));
        };
        await using var a = await JobEngineReplica.StartAsync(settings, script);
        await using var b = await JobEngineReplica.StartAsync(settings, script);

        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await (i % 2 == 0 ? a : b).SubmitAsync("first", "second"));
        }

        foreach (var id in ids)
        {
            (await a.WaitAsync(id, j => j.IsFinished, TimeSpan.FromSeconds(60))).State.ShouldBe(JobState.Succeeded);
            script.Count(id, "first").ShouldBe(1);
            script.Count(id, "second").ShouldBe(1);
        }

        var instances = new[] { await a.InstanceIdAsync(), await b.InstanceIdAsync() };
        instances.Distinct().Count().ShouldBe(2);
        script.Executions.Select(e => e.Worker).Distinct().Order().ShouldBe(instances.Order());
    }

    [Fact]
    public async Task Cluster_ReplicaStopsMidStep_AnotherReplicaResumesTheJobAtThatStep()
    {
        var settings = await PostgresSettingsAsync();
        var script = new StepScript();
        var blocked = new TaskCompletionSource();
        script.Behaviour["second"] = async (context, ct) =>
        {
            if (context.Step.Attempts == 1)
            {
                blocked.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }
        };

        var a = await JobEngineReplica.StartAsync(settings, script);
        var id = await a.SubmitAsync("first", "second", "third");
        await blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var dead = await a.InstanceIdAsync();
        await a.DisposeAsync();

        await using var b = await JobEngineReplica.StartAsync(settings, script);
        var job = await b.WaitAsync(id, j => j.IsFinished, TimeSpan.FromSeconds(60));

        job.State.ShouldBe(JobState.Succeeded);
        job.Worker.ShouldBe(await b.InstanceIdAsync());
        job.Worker.ShouldNotBe(dead);
        job.Steps.Select(s => s.Attempts).ShouldBe([1, 2, 1]);
        script.Count(id, "first").ShouldBe(1);
    }

    private Dictionary<string, string?> SqliteSettings() => new()
    {
        ["Data:Directory"] = _data.Path,
        ["Jobs:RetryBackoff"] = "00:00:00.2",
        ["Jobs:MaxAttempts"] = "3",
        ["Jobs:SweepInterval"] = "00:00:01",
    };

    private static async Task<Dictionary<string, string?>> PostgresSettingsAsync() => new()
    {
        ["Database:Provider"] = "PostgreSql",
        ["Database:ConnectionString"] = await TestPostgres.CreateDatabaseAsync(),
        ["Jobs:RetryBackoff"] = "00:00:00.2",
        ["Jobs:MaxAttempts"] = "3",
        ["Jobs:MaxConcurrency"] = "2",
        ["Jobs:SweepInterval"] = "00:00:01",
        ["Jobs:ClusterCheckinInterval"] = "00:00:01",
        ["Jobs:ClusterCheckinMisfireThreshold"] = "00:00:02",
    };
}
