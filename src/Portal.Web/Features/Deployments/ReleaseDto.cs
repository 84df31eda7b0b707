using Portal.Core.Deployments;
using Portal.Core.Provisioning;

namespace Portal.Web.Features.Deployments;

/// <summary>A release as the API shows it; <c>manifests</c> only on the single-release read.</summary>
public sealed record ReleaseDto(
    Guid Id,
    string Service,
    string Environment,
    int Number,
    ReleaseKind Kind,
    Guid? Source,
    string Image,
    string Version,
    ReleaseState State,
    string RequestedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationSeconds,
    string? Failure,
    string? FailureReason,
    Guid? JobId,
    DeploySpec Spec,
    IReadOnlyList<RolloutSample> Samples,
    IReadOnlyList<PlannedObject>? Manifests)
{
    public static ReleaseDto From(Release r, bool manifests = false) => new(
        r.Id, r.Service, r.Environment, r.Number, r.Kind, r.Source, r.Spec.Image, r.Spec.Version, r.State, r.RequestedBy,
        r.CreatedAt, r.StartedAt, r.FinishedAt, r.Duration?.TotalSeconds, r.Failure, r.FailureReason, r.JobId, r.Spec, r.Samples,
        manifests ? r.Manifests : null);
}

/// <summary>What a deploy, rollback or promotion answers: the release and the job carrying it out (none while it waits).</summary>
public sealed record DeployOutcomeDto(ReleaseDto Release, Guid? JobId)
{
    public static DeployOutcomeDto From(DeployOutcome o) => new(ReleaseDto.From(o.Release), o.JobId);
}

/// <summary>One object of a preview or a comparison, with its diff as unified-diff text.</summary>
public sealed record ObjectDiffDto(string Kind, string Name, ObjectChange Change, string Diff)
{
    public static ObjectDiffDto From(ObjectPreview o) => new(o.Kind, o.Name, o.Change, TextDiff.Unified(o.Diff));
}

public sealed record DeployPreviewDto(DeploySpec Spec, IReadOnlyList<PlannedObject> Manifests, IReadOnlyList<ObjectDiffDto> Objects, string Quota, ReleaseDto? Running, bool NeedsApproval)
{
    public static DeployPreviewDto From(DeployPreview p) =>
        new(p.Spec, p.Manifests, [.. p.Objects.Select(ObjectDiffDto.From)], p.QuotaSummary, p.Running is null ? null : ReleaseDto.From(p.Running), p.NeedsApproval);
}

public sealed record ReleaseComparisonDto(ReleaseDto From, ReleaseDto To, IReadOnlyList<ObjectDiffDto> Objects)
{
    public static ReleaseComparisonDto Of(ReleaseComparison c) => new(ReleaseDto.From(c.From), ReleaseDto.From(c.To), [.. c.Objects.Select(ObjectDiffDto.From)]);
}

public sealed record PromoteRequest(string? From, string? To, bool Queue = false);
