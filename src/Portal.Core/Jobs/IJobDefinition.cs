namespace Portal.Core.Jobs;

/// <summary>
/// What a kind of job does: its steps, run one at a time by <see cref="JobRunner"/>. Every step must be
/// idempotent — a step interrupted by a crash runs again — and a step that completed never runs again.
/// </summary>
public interface IJobDefinition
{
    string Kind { get; }

    /// <summary>For lists: "Create environment dev-alice".</summary>
    string Describe(PortalJob job);

    Task RunStepAsync(JobStepContext context, CancellationToken ct);

    /// <summary>Called once when the job reaches a final state (succeeded, failed or cancelled).</summary>
    Task OnFinishedAsync(PortalJob job, CancellationToken ct);
}

/// <summary>What a running step sees: its job, itself, and its log.</summary>
public sealed class JobStepContext(PortalJob job, JobStep step, Func<string, string, Task> log)
{
    public PortalJob Job { get; } = job;

    public JobStep Step { get; } = step;

    public Task LogAsync(string message) => log("info", message);

    public Task WarnAsync(string message) => log("warning", message);
}

/// <summary>A step's failure in words a user can act on (no stack trace, no secret).</summary>
public sealed class JobStepException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Trying again cannot help (a rollout that failed, a cancel): the job fails now, without retries.</summary>
    public bool Final { get; init; }
}
