using Microsoft.AspNetCore.Components;

namespace Portal.Web.Features.Workloads;

/// <summary>The environment's deployments with their rollout state; Operators scale them after a confirmation.</summary>
public sealed partial class DeploymentsTable
{
    private string? _editing;
    private int _replicas;

    [Parameter, EditorRequired]
    public WorkloadScope Scope { get; set; } = default!;

    [Parameter, EditorRequired]
    public IReadOnlyList<DeploymentRow> Rows { get; set; } = [];

    [Inject]
    private WorkloadService Workloads { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private DialogService Dialogs { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    internal static BadgeStyle RolloutStyle(string rollout) => rollout switch
    {
        "Complete" => BadgeStyle.Success,
        "Progressing" => BadgeStyle.Info,
        "Degraded" => BadgeStyle.Warning,
        "Failed" => BadgeStyle.Danger,
        _ => BadgeStyle.Light,
    };

    private async Task ScaleAsync(DeploymentRow row)
    {
        var replicas = _replicas;
        var confirmed = await Dialogs.Confirm(
            $"Scale {row.Name} in {Scope.Environment.Name} from {row.Desired} to {replicas} replicas?",
            "Scale deployment", new ConfirmOptions { OkButtonText = "Scale", CancelButtonText = "Cancel" });
        if (confirmed != true)
        {
            return;
        }

        var result = await Workloads.ScaleAsync(await User.ActorAsync(), Scope.Environment.Name, row.Name, replicas, CancellationToken.None);
        if (result.Succeeded)
        {
            _editing = null;
            Notifications.Notify(NotificationSeverity.Success, $"{row.Name} scaled to {replicas}.");
        }
        else
        {
            Notifications.Notify(NotificationSeverity.Error, "Not scaled", result.Describe(), TimeSpan.FromSeconds(10));
        }
    }
}
