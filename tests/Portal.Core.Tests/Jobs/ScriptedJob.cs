using Portal.Core.Jobs;

namespace Portal.Core.Tests.Jobs;

/// <summary>
/// A job definition whose steps do what the test says: by default a step succeeds; <see cref="On"/> gives a step
/// its own behaviour. Records which steps ran, in order, and every call to <see cref="OnFinishedAsync"/>.
/// </summary>
public sealed class ScriptedJob : IJobDefinition
{
    public const string KindName = "test.scripted";

    private readonly Dictionary<string, Func<JobStepContext, CancellationToken, Task>> _steps = new(StringComparer.Ordinal);

    public string Kind => KindName;

    /// <summary>Step names in the order they were attempted, one entry per attempt.</summary>
    public List<string> Ran { get; } = [];

    public List<PortalJob> Finished { get; } = [];

    public int AttemptsOf(string step) => Ran.Count(s => s == step);

    public ScriptedJob On(string step, Func<JobStepContext, CancellationToken, Task> run)
    {
        _steps[step] = run;
        return this;
    }

    /// <summary>The step throws <paramref name="failures"/> times, then succeeds.</summary>
    public ScriptedJob FailsFirst(string step, int failures, string reason)
    {
        var failed = 0;
        return On(step, (_, _) => failed++ < failures ? throw new JobStepException(reason) : Task.CompletedTask);
    }

    public string Describe(PortalJob job) => $"Scripted {job.Environment}";

    public Task RunStepAsync(JobStepContext context, CancellationToken ct)
    {
        Ran.Add(context.Step.Name);
        return _steps.TryGetValue(context.Step.Name, out var run) ? run(context, ct) : Task.CompletedTask;
    }

    public Task OnFinishedAsync(PortalJob job, CancellationToken ct)
    {
        Finished.Add(job);
        return Task.CompletedTask;
    }

    public static PortalJob NewJob(DateTimeOffset now, params string[] steps) =>
        PortalJob.New(KindName, "dev-alice", "alice", now, steps);
}
