using Portal.Core.Environments;
using Portal.Core.Provisioning;

namespace Portal.Core.Deployments;

/// <summary>How an object of a release compares with what is live in the cluster.</summary>
public enum ObjectChange
{
    Create,
    Update,
    Unchanged,
    Delete,
}

/// <summary>One object's live and planned text (both as YAML, with server-set fields removed), for the preview's diff.</summary>
public sealed record LiveComparison(string Kind, string Name, ObjectChange Change, string Live, string Planned);

/// <summary>A pod of a rollout, as people read it in a pods table.</summary>
public sealed record RolloutPod(string Name, string Phase, bool Ready, int Restarts, string? Waiting, string? Message, bool Current, DateTimeOffset? Created, string? Node);

/// <summary>
/// Something that stops a rollout, seen in the cluster: a code (<see cref="RolloutProblems"/>), a sentence a developer
/// understands, and since when it has been seen (the judge gives some problems time to clear by themselves).
/// </summary>
public sealed record RolloutProblem(string Reason, string Message, DateTimeOffset Since);

/// <summary>A rollout at one moment: replica counts, pods, what (if anything) is wrong.</summary>
public sealed record RolloutStatus
{
    /// <summary>False when the service's Deployment does not exist (yet, or any more).</summary>
    public bool Exists { get; init; }

    public int Desired { get; init; }

    /// <summary>Pods of the new template.</summary>
    public int Updated { get; init; }

    public int Ready { get; init; }

    public int Available { get; init; }

    /// <summary>All pods, old and new template.</summary>
    public int Total { get; init; }

    /// <summary>The controller has seen the latest spec (observedGeneration ≥ generation).</summary>
    public bool Observed { get; init; }

    public IReadOnlyList<RolloutPod> Pods { get; init; } = [];

    public IReadOnlyList<RolloutProblem> Problems { get; init; } = [];

    /// <summary>What <c>kubectl rollout status</c> calls done: every replica updated and available, no old pod left.</summary>
    public bool Complete => Exists && Observed && Updated == Desired && Total == Desired && Available == Desired;
}

/// <summary>The causes of a failed rollout Portal names.</summary>
public static class RolloutProblems
{
    public const string ImagePullBackOff = "ImagePullBackOff";
    public const string CrashLoopBackOff = "CrashLoopBackOff";
    public const string Unschedulable = "Unschedulable";
    public const string QuotaExceeded = "QuotaExceeded";
    public const string ReadinessTimeout = "ReadinessTimeout";
    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";
    public const string ApplyFailed = "ApplyFailed";
    public const string Cancelled = "Cancelled";
}

/// <summary>A service as it runs in an environment now: for the catalog's "what runs where" and the quota check.</summary>
public sealed record LiveService(string Service, string Image, int Desired, int Ready, long CpuRequestMillisPerPod, long MemoryRequestBytesPerPod);

/// <summary>
/// Port: deploys a service's workload (a Deployment, a Service and optionally an Ingress) into an environment, and
/// reports its rollout. Adapters: Kubernetes (server-side apply).
/// </summary>
public interface IServiceDeployer
{
    /// <summary>The objects of a release, rendered (no cluster call). Part is the object's role: deployment, service, ingress.</summary>
    IReadOnlyList<PlannedObject> Render(PortalEnvironment environment, string service, DeploySpec spec, int releaseNumber);

    /// <summary>
    /// Each object against what is live: the planned side as the API server would store it (a dry-run apply), so the
    /// diff shows what would change and not the server's defaults; objects the service has that the release drops
    /// (an Ingress turned off) are listed as deletes.
    /// </summary>
    Task<IReadOnlyList<LiveComparison>> CompareAsync(PortalEnvironment environment, string service, IReadOnlyList<PlannedObject> objects, CancellationToken ct);

    /// <summary>Applies the objects (idempotent) and deletes the service's objects the release no longer has.</summary>
    Task ApplyAsync(PortalEnvironment environment, string service, IReadOnlyList<PlannedObject> objects, Func<string, Task> log, CancellationToken ct);

    /// <summary>The service's rollout now.</summary>
    Task<RolloutStatus> RolloutAsync(PortalEnvironment environment, string service, CancellationToken ct);

    /// <summary>Every service Portal deployed into the environment, as it runs now.</summary>
    Task<IReadOnlyList<LiveService>> LiveAsync(PortalEnvironment environment, CancellationToken ct);
}
