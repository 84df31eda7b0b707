using Portal.Core.Approvals;

namespace Portal.Web.Features.Approvals;

/// <summary>A four-eyes request as the API shows it; <c>release</c> is the release a deploy request waits with.</summary>
public sealed record ApprovalDto(
    Guid Id,
    string Environment,
    ApprovalAction Action,
    ApprovalState State,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Comment,
    Guid? JobId,
    Guid? Release)
{
    public static ApprovalDto From(ApprovalRequest r) => new(
        r.Id, r.Environment, r.Action, r.State, r.RequestedBy, r.RequestedAt, r.ExpiresAt, r.DecidedBy, r.DecidedAt, r.Comment, r.JobId, r.Release);
}

/// <summary>The optional body of an approval or a rejection.</summary>
public sealed record DecisionRequest(string? Comment);
