using Microsoft.AspNetCore.Components;
using Portal.Core.Authorization;
using Portal.Kubernetes.Model;

namespace Portal.Web.Features.Workloads;

/// <summary>
/// An environment's deployments and pods, live: both read the cluster's shared caches and re-render when they
/// change. <c>/workloads</c> shows the environment chosen in the switcher.
/// </summary>
public sealed partial class WorkloadsPage : IDisposable
{
    public static readonly PortalFeature Feature = new(
        "workloads", "Workloads", "deployed_code", "workloads", 25,
        "Deployments and pods of the environment, live: status, restarts, rollout state; restart pods and scale deployments.");

    private WorkloadScope? _scope;
    private string? _problem;
    private PodRows? _pods;
    private LiveCache<Deployment>? _deploymentCache;
    private IReadOnlyList<DeploymentRow> _deployments = [];
    private int _generation;
    private bool _disposed;

    [Parameter]
    public string? Env { get; set; }

    /// <summary><c>?service=name</c>: one service's deployment and pods (a shareable link from the deployment's name).</summary>
    [SupplyParameterFromQuery(Name = "service")]
    public string? Service { get; set; }

    [Inject]
    private WorkloadService Workloads { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private EnvironmentContext Context { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override void OnInitialized() => Context.Changed += OnEnvironmentChanged;

    protected override async Task OnParametersSetAsync()
    {
        var name = Env ?? Context.Current?.Name;
        if (name is null)
        {
            _problem = "Choose an environment in the switcher at the top.";
            return;
        }

        if (_scope?.Environment.Name == name)
        {
            return;
        }

        Release();
        var generation = ++_generation;
        var (scope, refusal) = await Workloads.OpenAsync(await User.PrincipalAsync(), name, Permissions.WorkloadsRead, CancellationToken.None);
        if (generation != _generation || _disposed)
        {
            return;   // navigated elsewhere (or closed) meanwhile: a newer load owns the page, or nobody does
        }

        _scope = scope;
        _problem = scope is null ? refusal!.Describe()
            : scope.Cluster is null ? $"Portal has no cluster named '{scope.ClusterName}', so this environment's workloads cannot be shown."
            : null;
        if (scope?.Cluster is { } cluster)
        {
            _pods = new PodRows(WorkloadCaches.Pods(cluster), scope.Namespace, () => InvokeAsync(StateHasChanged));
            _deploymentCache = new LiveCache<Deployment>(WorkloadCaches.Deployments(cluster), () => InvokeAsync(() =>
            {
                RefreshDeployments();
                StateHasChanged();
            }), relevant: d => d.Metadata.Namespace == scope.Namespace);
            RefreshDeployments();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Context.Changed -= OnEnvironmentChanged;
        Release();
    }

    private IReadOnlyList<T> ForService<T>(IReadOnlyList<T> rows, Func<T, string?> service) =>
        string.IsNullOrEmpty(Service) ? rows : [.. rows.Where(r => service(r) == Service)];

    private void RefreshDeployments() =>
        _deployments = _scope is null || _deploymentCache is null ? []
            : [.. _deploymentCache.Items.Values.Where(d => d.Metadata.Namespace == _scope.Namespace).OrderBy(d => d.Metadata.Name, StringComparer.Ordinal).Select(DeploymentRow.From)];

    private void Release()
    {
        _pods?.Dispose();
        _deploymentCache?.Dispose();
        _pods = null;
        _deploymentCache = null;
        _deployments = [];
    }

    private void OnEnvironmentChanged()
    {
        // /workloads follows the switcher; an environment's own URL stays on its environment.
        if (Env is null && Context.Current is { } current && current.Name != _scope?.Environment.Name)
        {
            _ = InvokeAsync(async () =>
            {
                await OnParametersSetAsync();
                StateHasChanged();
            });
        }
    }
}
