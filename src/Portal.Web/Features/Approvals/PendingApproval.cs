using Portal.Core.Approvals;
using Portal.Core.Deployments;

namespace Portal.Web.Features.Approvals;

/// <summary>A request still open, as the approvals page shows it to one person: may they decide it, is it theirs.</summary>
public sealed class PendingApproval(ApprovalRequest request, bool mayDecide, bool mine)
{
    public ApprovalRequest Request { get; } = request;

    public bool MayDecide { get; } = mayDecide;

    public bool Mine { get; } = mine;

    /// <summary>For a deploy: the release that waits (null when it cannot be read).</summary>
    public Release? Release { get; init; }

    /// <summary>The decider's optional comment, as typed.</summary>
    public string? Comment { get; set; }

    public bool Busy { get; set; }
}
