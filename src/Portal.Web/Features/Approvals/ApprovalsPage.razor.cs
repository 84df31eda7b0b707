using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Approvals;
using Portal.Core.Deployments;

namespace Portal.Web.Features.Approvals;

/// <summary>The four-eyes inbox: open requests first, with Approve and Reject for whoever may decide them; then the history.</summary>
public sealed partial class ApprovalsPage
{
    public static readonly PortalFeature Feature = new(
        "approvals", "Approvals", "approval", "approvals", 12,
        "Approve or reject others' requests to create or destroy prod environments, or to deploy where approval is required (four-eyes).");

    private IReadOnlyList<PendingApproval> _pending = [];
    private IReadOnlyList<ApprovalRequest> _history = [];
    private int _expiryHours;

    [Inject]
    private ApprovalService Approvals { get; set; } = default!;

    [Inject]
    private DeploymentService Deployments { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private IOptions<EnvironmentPolicyOptions> Policy { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _expiryHours = Policy.Value.ApprovalExpiryHours;
        await LoadAsync();
    }

    internal static string ActionText(ApprovalAction action) => action switch
    {
        ApprovalAction.Create => "Create",
        ApprovalAction.Deploy => "Deploy",
        _ => "Destroy",
    };

    internal static BadgeStyle StateStyle(ApprovalState state) => state switch
    {
        ApprovalState.Approved => BadgeStyle.Success,
        ApprovalState.Rejected => BadgeStyle.Danger,
        ApprovalState.Pending => BadgeStyle.Info,
        _ => BadgeStyle.Light,
    };

    /// <summary>A request past its expiry is lapsed even before the sweep has marked it so.</summary>
    private ApprovalState Shown(ApprovalRequest r) =>
        r.State == ApprovalState.Pending && !r.IsOpen(Clock.GetUtcNow()) ? ApprovalState.Expired : r.State;

    private async Task LoadAsync()
    {
        var who = await User.PrincipalAsync();
        var all = await Approvals.ListAsync(who, null, CancellationToken.None);
        var now = Clock.GetUtcNow();
        var pending = new List<PendingApproval>();
        foreach (var request in all.Where(r => r.IsOpen(now)).OrderBy(r => r.ExpiresAt))
        {
            var mine = string.Equals(request.RequestedBy, who.UserName, StringComparison.OrdinalIgnoreCase);
            var release = request.Release is { } id ? await Deployments.GetAsync(who, request.Environment, id, CancellationToken.None) : null;
            pending.Add(new PendingApproval(request, await Approvals.MayDecideAsync(who, request, CancellationToken.None), mine) { Release = release });
        }

        _pending = pending;
        _history = [.. all.Where(r => !r.IsOpen(now))];
    }

    private async Task DecideAsync(PendingApproval p, bool approve)
    {
        p.Busy = true;
        try
        {
            var actor = await User.ActorAsync();
            var comment = string.IsNullOrWhiteSpace(p.Comment) ? null : p.Comment.Trim();
            var result = approve
                ? await Approvals.ApproveAsync(actor, p.Request.Id, comment, CancellationToken.None)
                : await Approvals.RejectAsync(actor, p.Request.Id, comment, CancellationToken.None);
            if (result is ActionResult<ApprovalRequest>.Ok)
            {
                var what = $"{ActionText(p.Request.Action).ToLowerInvariant()} {p.Request.Environment}";
                Notifications.Notify(NotificationSeverity.Success, approve ? $"Approved: {what} has started." : $"Rejected: {what} will not happen.");
            }
            else
            {
                Notifications.Notify(NotificationSeverity.Error, "Not done", result.Describe(), TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            p.Busy = false;
        }

        await LoadAsync();
    }
}
