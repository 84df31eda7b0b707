using Portal.Core.Catalog;

namespace Portal.Core.Deployments;

/// <summary>
/// A deploy as a person (or a CI pipeline) asks for it. Only the version is required: everything else defaults to
/// the service's last release in the environment, and failing that to the catalog.
/// </summary>
public sealed record DeployRequest
{
    public string? Service { get; init; }

    /// <summary>The image tag (<c>1.4.2</c>) or digest (<c>sha256:…</c>) to deploy from the catalog's image repository.</summary>
    public string? Version { get; init; }

    public int? Replicas { get; init; }

    public ResourceSettings? Resources { get; init; }

    /// <summary>The plain environment variables, all of them (they replace the defaults, they are not merged).</summary>
    public IReadOnlyDictionary<string, string>? Env { get; init; }

    public bool? Ingress { get; init; }

    /// <summary>When the service is already rolling out here: wait for it instead of being refused.</summary>
    public bool Queue { get; init; }
}

/// <summary>One object of a preview: how it compares with the cluster, and the diff.</summary>
public sealed record ObjectPreview(string Kind, string Name, ObjectChange Change, IReadOnlyList<DiffLine> Diff);

/// <summary>What a deploy would do, shown before it is confirmed.</summary>
public sealed record DeployPreview(
    DeploySpec Spec,
    IReadOnlyList<Provisioning.PlannedObject> Manifests,
    IReadOnlyList<ObjectPreview> Objects,
    string QuotaSummary,
    Release? Running,
    bool NeedsApproval);

/// <summary>A submitted release and the job carrying it out (none while it waits for approval or its turn).</summary>
public sealed record DeployOutcome(Release Release, Guid? JobId);

/// <summary>One object's diff between two releases.</summary>
public sealed record ReleaseComparison(Release From, Release To, IReadOnlyList<ObjectPreview> Objects);
