using Microsoft.AspNetCore.Components;
using Portal.Core.Authorization;
using Portal.Kubernetes.Model;

namespace Portal.Web.Features.Workloads;

/// <summary>One pod, live: containers, labels, events and logs; Operators can restart it.</summary>
public sealed partial class PodPage : IDisposable
{
    private WorkloadScope? _scope;
    private string? _problem;
    private LiveCache<Pod>? _pods;
    private Pod? _pod;
    private int _generation;
    private bool _disposed;

    [Parameter]
    public string Env { get; set; } = "";

    [Parameter]
    public string PodName { get; set; } = "";

    [Inject]
    private WorkloadService Workloads { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private DialogService Dialogs { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _pods?.Dispose();
        _pods = null;
        var generation = ++_generation;
        var (scope, refusal) = await Workloads.OpenAsync(await User.PrincipalAsync(), Env, Permissions.WorkloadsRead, CancellationToken.None);
        if (generation != _generation || _disposed)
        {
            return;
        }

        _scope = scope;
        _problem = scope is null ? refusal!.Describe() : scope.Cluster is null ? $"Portal has no cluster named '{scope.ClusterName}'." : null;
        if (scope?.Cluster is { } cluster)
        {
            _pods = new LiveCache<Pod>(WorkloadCaches.Pods(cluster), () => InvokeAsync(() =>
            {
                Find();
                StateHasChanged();
            }), relevant: p => p.Metadata.Namespace == scope.Namespace && p.Metadata.Name == PodName);
            Find();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _pods?.Dispose();
    }

    private void Find() => _pod = _pods?.Items.GetValueOrDefault($"{_scope?.Namespace}/{PodName}");

    private async Task RestartAsync()
    {
        var confirmed = await Dialogs.Confirm(
            $"Delete pod {PodName}? Its ReplicaSet starts a replacement; requests it is serving are cut off after its grace period.",
            "Restart pod", new ConfirmOptions { OkButtonText = "Restart", CancelButtonText = "Cancel" });
        if (confirmed != true)
        {
            return;
        }

        var result = await Workloads.RestartPodAsync(await User.ActorAsync(), Env, PodName, CancellationToken.None);
        if (result.Succeeded)
        {
            Notifications.Notify(NotificationSeverity.Success, $"{PodName} is being replaced.");
            Navigation.NavigateTo($"environments/{Env}/workloads");
        }
        else
        {
            Notifications.Notify(NotificationSeverity.Error, "Not restarted", result.Describe(), TimeSpan.FromSeconds(10));
        }
    }
}
