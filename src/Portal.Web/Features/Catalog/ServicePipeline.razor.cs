using Microsoft.AspNetCore.Components;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Jobs;
using Portal.Web.Features.Deployments;

namespace Portal.Web.Features.Catalog;

/// <summary>
/// The service's stages (the Ready environments the user may see, dev → prod), each with what runs and its latest
/// release. Releases move by jobs: the stages are read again when a job changes (at most every two seconds), and
/// while a release is unfinished also every few seconds, for what other replicas do.
/// </summary>
public sealed partial class ServicePipeline : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    private ServiceMap? _map;
    private IReadOnlyList<ServiceStage>? _stages;
    private PromoteOutcome? _outcome;
    private LiveRefresh? _live;
    private string? _loadedFor;

    [Parameter, EditorRequired]
    public ServiceDefinition Service { get; set; } = default!;

    [Inject]
    private DeploymentService Deployments { get; set; } = default!;

    [Inject]
    private JobEvents Jobs { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor != Service.Name)
        {
            await LoadAsync();
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Only once interactive: a prerendered page is thrown away at once.
        if (firstRender)
        {
            _live = new LiveRefresh(Jobs, Clock, InvokeAsync, RefreshAsync, _ => true,
                () => _stages?.Any(s => s.Latest is { IsFinished: false }) == true, PollInterval, TimeSpan.FromSeconds(2));
            _live.Request();   // a release that moved between the load and the subscription
        }
    }

    public void Dispose() => _live?.Dispose();

    private async Task LoadAsync()
    {
        var who = await User.PrincipalAsync();
        var map = await Deployments.MapAsync(who, CancellationToken.None);
        var history = await Deployments.HistoryAsync(who, Service.Name, CancellationToken.None);
        (_map, _stages, _loadedFor) = (map, ServiceStage.For(map, Service.Name, history), Service.Name);
    }

    private async Task RefreshAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    private async Task OnPromotedAsync(PromoteOutcome outcome)
    {
        _outcome = outcome;
        await LoadAsync();
    }
}
