using Portal.Core.Catalog;
using Portal.Core.Provisioning;

namespace Portal.Core.Deployments;

/// <summary>Everything one release deploys: the image and the parameters the manifests are rendered from.</summary>
public sealed record DeploySpec
{
    /// <summary>The full image reference: repository with a tag or a digest.</summary>
    public required string Image { get; init; }

    public int Replicas { get; init; } = 1;

    public ResourceSettings Resources { get; init; } = ResourceSettings.Default;

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<SecretReference> Secrets { get; init; } = [];

    public IReadOnlyList<ServicePort> Ports { get; init; } = [];

    public string? HealthCheckPath { get; init; }

    /// <summary>The host of its Ingress; null when the service is not reached from outside.</summary>
    public string? IngressHost { get; init; }

    /// <summary>The tag (or digest) part of <see cref="Image"/>: what people call the version.</summary>
    public string Version => ImageReference.TryParse(Image, out var reference) ? reference.Version : Image;
}

public enum ReleaseKind
{
    Deploy,

    /// <summary>Re-applies an earlier release's manifests.</summary>
    Rollback,

    /// <summary>The exact release running in another environment, deployed here.</summary>
    Promotion,
}

public enum ReleaseState
{
    /// <summary>A protected environment's deploy waiting for a second person.</summary>
    AwaitingApproval,

    /// <summary>Waiting for the service's running rollout in this environment to finish.</summary>
    Queued,

    /// <summary>Its job is submitted (or running its first steps).</summary>
    Pending,
    RollingOut,
    Succeeded,
    Failed,
    Cancelled,

    /// <summary>Its approval was refused or lapsed: nothing was applied.</summary>
    Rejected,
}

/// <summary>The replica counts of a rollout at one moment, for the chart over time.</summary>
public sealed record RolloutSample(DateTimeOffset At, int Desired, int Updated, int Ready, int Available);

/// <summary>
/// One deployment of a service to an environment, as recorded: who, when, what image with what parameters, the
/// manifests exactly as rendered, the outcome and how long it took. Releases are numbered per service and environment.
/// </summary>
public sealed record Release
{
    public required Guid Id { get; init; }

    public required string Service { get; init; }

    public required string Environment { get; init; }

    public required int Number { get; init; }

    public ReleaseKind Kind { get; init; }

    /// <summary>For a rollback, the release re-applied; for a promotion, the release promoted.</summary>
    public Guid? Source { get; init; }

    public required DeploySpec Spec { get; init; }

    /// <summary>The manifests as applied, in apply order (secrets are references only, so nothing here is secret).</summary>
    public required IReadOnlyList<PlannedObject> Manifests { get; init; }

    public required string RequestedBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public ReleaseState State { get; init; }

    /// <summary>Why it failed, in plain words ("The image … could not be pulled (ImagePullBackOff) …").</summary>
    public string? Failure { get; init; }

    /// <summary>The machine-readable cause: ImagePullBackOff, CrashLoopBackOff, Unschedulable, QuotaExceeded, ReadinessTimeout, ProgressDeadlineExceeded, ApplyFailed.</summary>
    public string? FailureReason { get; init; }

    public Guid? JobId { get; init; }

    public IReadOnlyList<RolloutSample> Samples { get; init; } = [];

    public int Version { get; init; } = 1;

    public bool IsActive => State is ReleaseState.AwaitingApproval or ReleaseState.Pending or ReleaseState.RollingOut;

    public bool IsFinished => State is ReleaseState.Succeeded or ReleaseState.Failed or ReleaseState.Cancelled or ReleaseState.Rejected;

    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;
}
