using Portal.Core.Approvals;

namespace Portal.Web.Features.Approvals;

/// <summary>A request still open, as the approvals page shows it to one person: may they decide it, is it theirs.</summary>
public sealed class PendingApproval(ApprovalRequest request, bool mayDecide, bool mine)
{
    public ApprovalRequest Request { get; } = request;

    public bool MayDecide { get; } = mayDecide;

    public bool Mine { get; } = mine;

    /// <summary>The decider's optional comment, as typed.</summary>
    public string? Comment { get; set; }

    public bool Busy { get; set; }
}
