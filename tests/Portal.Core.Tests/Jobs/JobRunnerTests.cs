using Microsoft.Extensions.Options;
using Portal.Core.Jobs;
using Portal.Testing;

namespace Portal.Core.Tests.Jobs;

public class JobRunnerTests
{
    private static readonly TimeSpan Backoff = TimeSpan.FromSeconds(10);

    private readonly FakeClock _clock = new();
    private readonly InMemoryJobStore _store = new();
    private readonly ScriptedJob _definition = new();
    private readonly JobEvents _events = new();

    private JobRunner Runner(int maxAttempts = 3) =>
        new(_store, [_definition], Options.Create(new JobEngineOptions { MaxAttempts = maxAttempts, RetryBackoff = Backoff, MaxRetryBackoff = TimeSpan.FromMinutes(5) }), _clock, _events);

    [Fact]
    public async Task RunAsync_AllStepsSucceed_RunsThemInOrderAndSucceeds()
    {
        var job = _store.Add(ScriptedJob.NewJob(_clock.GetUtcNow(), "namespace", "quota", "bindings"));
        var changes = 0;
        _events.JobChanged += id => changes += id == job.Id ? 1 : 0;

        var outcome = await Runner().RunAsync(job.Id, "w1", CancellationToken.None);

        outcome.ShouldBe(new JobRunOutcome.Finished(JobState.Succeeded));
        _definition.Ran.ShouldBe(["namespace", "quota", "bindings"]);
        var stored = _store.Get(job.Id);
        stored.State.ShouldBe(JobState.Succeeded);
        stored.Worker.ShouldBe("w1");
        stored.StartedAt.ShouldBe(_clock.GetUtcNow());
        stored.FinishedAt.ShouldBe(_clock.GetUtcNow());
        stored.Error.ShouldBeNull();
        stored.Steps.ShouldAllBe(s => s.State == StepState.Succeeded && s.Attempts == 1 && s.Error == null);
        _definition.Finished.ShouldHaveSingleItem().State.ShouldBe(JobState.Succeeded);
        changes.ShouldBeGreaterThan(0, "open pages hear of the change");
    }

    [Fact]
    public async Task RunAsync_StepFailsTwiceThenSucceeds_RetriesAfterBackoffAndSucceedsOnTheThirdAttempt()
    {
        var job = _store.Add(ScriptedJob.NewJob(_clock.GetUtcNow(), "namespace", "quota"));
        _definition.FailsFirst("namespace", 2, "the cluster did not answer.");
        var runner = Runner(maxAttempts: 3);
        var start = _clock.GetUtcNow();

        var first = await runner.RunAsync(job.Id, "w1", CancellationToken.None);

        first.ShouldBe(new JobRunOutcome.RetryAt(start + Backoff));
        var step = _store.Get(job.Id).Steps[0];
        step.State.ShouldBe(StepState.Retrying);
        step.Error.ShouldBe("the cluster did not answer.");
        step.Attempts.ShouldBe(1);
        step.NextAttemptAt.ShouldBe(start + Backoff);
        _store.Get(job.Id).State.ShouldBe(JobState.Running);
        _store.Get(job.Id).Steps[1].State.ShouldBe(StepState.Pending);

        // Called again before the back-off is over (a misfired trigger, the sweep): no attempt, same time.
        _clock.Advance(Backoff - TimeSpan.FromSeconds(1));
        var early = await runner.RunAsync(job.Id, "w1", CancellationToken.None);

        early.ShouldBe(new JobRunOutcome.RetryAt(start + Backoff));
        _definition.AttemptsOf("namespace").ShouldBe(1);
        _store.Get(job.Id).Steps[0].Attempts.ShouldBe(1);

        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = await runner.RunAsync(job.Id, "w1", CancellationToken.None);

        second.ShouldBe(new JobRunOutcome.RetryAt(_clock.GetUtcNow() + (2 * Backoff)), "the wait doubles");
        _store.Get(job.Id).Steps[0].Attempts.ShouldBe(2);

        _clock.Advance(2 * Backoff);
        var third = await runner.RunAsync(job.Id, "w1", CancellationToken.None);

        third.ShouldBe(new JobRunOutcome.Finished(JobState.Succeeded));
        var done = _store.Get(job.Id);
        done.State.ShouldBe(JobState.Succeeded);
        done.Steps[0].State.ShouldBe(StepState.Succeeded);
        done.Steps[0].Attempts.ShouldBe(3);
        done.Steps[0].Error.ShouldBeNull();
        done.Steps[0].NextAttemptAt.ShouldBeNull();
        _definition.Ran.ShouldBe(["namespace", "namespace", "namespace", "quota"]);
        _definition.Finished.ShouldHaveSingleItem().State.ShouldBe(JobState.Succeeded);
    }

    [Fact]
    public async Task RunAsync_StepFailsEveryAttempt_FailsTheJobNamingTheStepAndReason()
    {
        var job = _store.Add(ScriptedJob.NewJob(_clock.GetUtcNow(), "namespace", "quota"));
        _definition.FailsFirst("namespace", int.MaxValue, "namespace 'dev-alice' is terminating.");
        var runner = Runner(maxAttempts: 3);

        for (var attempt = 1; attempt < 3; attempt++)
        {
            (await runner.RunAsync(job.Id, "w1", CancellationToken.None)).ShouldBeOfType<JobRunOutcome.RetryAt>();
            _clock.Advance(TimeSpan.FromMinutes(5));
        }

        var last = await runner.RunAsync(job.Id, "w1", CancellationToken.None);

        last.ShouldBe(new JobRunOutcome.Finished(JobState.Failed));
        var failed = _store.Get(job.Id);
        failed.State.ShouldBe(JobState.Failed);
        failed.Error.ShouldBe("Step 'namespace' failed after 3 attempts: namespace 'dev-alice' is terminating.");
        failed.FinishedAt.ShouldBe(_clock.GetUtcNow());
        failed.Steps[0].State.ShouldBe(StepState.Failed);
        failed.Steps[0].Attempts.ShouldBe(3);
        failed.Steps[1].State.ShouldBe(StepState.Pending, "steps after a failed one never run");
        _definition.Ran.ShouldBe(["namespace", "namespace", "namespace"]);
        _definition.Finished.ShouldHaveSingleItem().State.ShouldBe(JobState.Failed);
        _store.Lines(job.Id).ShouldContain(l => l.Level == "error" && l.Message.Contains("Failed after 3 attempts"));
    }

    [Fact]
    public async Task RunAsync_FinalStepFailure_FailsAtOnceWithoutRetries()
    {
        var job = _store.Add(ScriptedJob.NewJob(_clock.GetUtcNow(), "apply", "rollout", "after"));
        _definition.On("rollout", (_, _) => throw new JobStepException("The image could not be pulled (ImagePullBackOff).") { Final = true });

        var outcome = await Runner(maxAttempts: 4).RunAsync(job.Id, "w1", CancellationToken.None);

        outcome.ShouldBe(new JobRunOutcome.Finished(JobState.Failed));
        var stored = _store.Get(job.Id);
        stored.Error.ShouldBe("Step 'rollout' failed: The image could not be pulled (ImagePullBackOff).");
        (stored.Steps[1].State, stored.Steps[1].Attempts).ShouldBe((StepState.Failed, 1));
        stored.Steps[2].State.ShouldBe(StepState.Pending);
        _definition.Ran.ShouldBe(["apply", "rollout"]);
    }

    [Fact]
    public async Task RunAsync_UnexpectedException_ReasonNamesTheExceptionType()
    {
        var job = _store.Add(ScriptedJob.NewJob(_clock.GetUtcNow(), "namespace"));
        _definition.On("namespace", (_, _) => throw new InvalidOperationException("boom"));

        var outcome = await Runner(maxAttempts: 1).RunAsync(job.Id, "w1", CancellationToken.None);

        outcome.ShouldBe(new JobRunOutcome.Finished(JobState.Failed));
        _store.Get(job.Id).Error.ShouldBe("Step 'namespace' failed after 1 attempts: InvalidOperationException: boom");
    }

    [Fact]
    public async Task RunAsync_FailedJobRunAgain_NoFurtherAttempt()
    {
        var job = _store.Add(ScriptedJob.NewJob(_clock.GetUtcNow(), "namespace"));
        _definition.FailsFirst("namespace", int.MaxValue, "no.");
        var runner = Runner(maxAttempts: 1);
        await runner.RunAsync(job.Id, "w1", CancellationToken.None);

        var again = await runner.RunAsync(job.Id, "w2", CancellationToken.None);

        again.ShouldBe(new JobRunOutcome.Finished(JobState.Failed));
        _definition.AttemptsOf("namespace").ShouldBe(1);
        _definition.Finished.Count.ShouldBe(1, "OnFinished is called once");
    }

    [Fact]
    public async Task RunAsync_ResumedAfterFirstStepCompleted_NeverRunsItAgain()
    {
        // Another replica died while running step 1: step 0 is done, step 1 was interrupted mid-attempt.
        var fresh = ScriptedJob.NewJob(_clock.GetUtcNow().AddMinutes(-1), "namespace", "quota", "bindings");
        var job = _store.Add(fresh with
        {
            State = JobState.Running,
            StartedAt = _clock.GetUtcNow().AddMinutes(-1),
            Worker = "replica-that-died",
            Steps =
            [
                fresh.Steps[0] with { State = StepState.Succeeded, Attempts = 1 },
                fresh.Steps[1] with { State = StepState.Running, Attempts = 1 },
                fresh.Steps[2],
            ],
        });

        var outcome = await Runner().RunAsync(job.Id, "replica-2", CancellationToken.None);

        outcome.ShouldBe(new JobRunOutcome.Finished(JobState.Succeeded));
        _definition.Ran.ShouldBe(["quota", "bindings"]);
        var done = _store.Get(job.Id);
        done.Worker.ShouldBe("replica-2");
        done.StartedAt.ShouldBe(_clock.GetUtcNow().AddMinutes(-1), "the job's start stays when it was first started");
        done.Steps[0].Attempts.ShouldBe(1);
        done.Steps[1].Attempts.ShouldBe(2, "the interrupted attempt counts");
        done.Steps.ShouldAllBe(s => s.State == StepState.Succeeded);
    }

    [Fact]
    public async Task RunAsync_CancelRequestedBetweenSteps_SkipsTheRestAndCancels()
    {
        var job = _store.Add(ScriptedJob.NewJob(_clock.GetUtcNow(), "namespace", "quota", "bindings"));
        _definition.On("namespace", async (context, ct) => (await _store.RequestCancelAsync(context.Job.Id, "bob", ct)).ShouldBeTrue());

        var outcome = await Runner().RunAsync(job.Id, "w1", CancellationToken.None);

        outcome.ShouldBe(new JobRunOutcome.Finished(JobState.Cancelled));
        _definition.Ran.ShouldBe(["namespace"], "the current step finishes; the others do not start");
        var cancelled = _store.Get(job.Id);
        cancelled.State.ShouldBe(JobState.Cancelled);
        cancelled.Steps.Select(s => s.State).ShouldBe([StepState.Succeeded, StepState.Skipped, StepState.Skipped]);
        _definition.Finished.ShouldHaveSingleItem().State.ShouldBe(JobState.Cancelled);
        _store.Lines(job.Id).ShouldContain(l => l.Message.Contains("Cancelled by bob"));
    }

    [Fact]
    public async Task RunAsync_HostStoppingDuringStep_LeavesTheStepRunning()
    {
        var job = _store.Add(ScriptedJob.NewJob(_clock.GetUtcNow(), "namespace", "quota"));
        using var stopping = new CancellationTokenSource();
        _definition.On("namespace", async (_, ct) =>
        {
            await stopping.CancelAsync();
            ct.ThrowIfCancellationRequested();
        });

        await Should.ThrowAsync<OperationCanceledException>(() => Runner().RunAsync(job.Id, "w1", stopping.Token));

        var interrupted = _store.Get(job.Id);
        interrupted.State.ShouldBe(JobState.Running);
        interrupted.Steps[0].State.ShouldBe(StepState.Running, "it runs again wherever the job resumes");
        interrupted.Steps[0].Attempts.ShouldBe(1);
        interrupted.Steps[0].Error.ShouldBeNull();
        _definition.Finished.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_OperationCanceledWithoutHostStopping_CountsAsAFailedAttempt()
    {
        // A timeout inside a client throws OperationCanceledException too; only the host's own token means "stopping".
        var job = _store.Add(ScriptedJob.NewJob(_clock.GetUtcNow(), "namespace"));
        _definition.On("namespace", (_, _) => throw new TaskCanceledException("request timed out"));

        var outcome = await Runner().RunAsync(job.Id, "w1", CancellationToken.None);

        outcome.ShouldBe(new JobRunOutcome.RetryAt(_clock.GetUtcNow() + Backoff));
        _store.Get(job.Id).Steps[0].State.ShouldBe(StepState.Retrying);
    }

    [Fact]
    public async Task RunAsync_UnknownKind_FailsTheJob()
    {
        var job = _store.Add(PortalJob.New("environment.teleport", "dev-alice", "alice", _clock.GetUtcNow(), ["beam"]));

        var outcome = await Runner().RunAsync(job.Id, "w1", CancellationToken.None);

        outcome.ShouldBe(new JobRunOutcome.Finished(JobState.Failed));
        var failed = _store.Get(job.Id);
        failed.State.ShouldBe(JobState.Failed);
        failed.Error.ShouldNotBeNull().ShouldContain("'environment.teleport'");
        failed.Steps[0].State.ShouldBe(StepState.Pending);
        _definition.Ran.ShouldBeEmpty();
        _definition.Finished.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_NoSuchJob_Missing() =>
        (await Runner().RunAsync(Guid.NewGuid(), "w1", CancellationToken.None)).ShouldBeOfType<JobRunOutcome.Missing>();
}
