using Microsoft.AspNetCore.Components;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Jobs;

namespace Portal.Web.Features.Deployments;

/// <summary>
/// The releases of the environment chosen in the switcher (<c>?env=</c>), newest first, optionally of one service
/// (<c>?service=</c>, so a filtered list can be shared). While any release runs or waits, the list is read again on
/// this replica's job changes and every two seconds, so it follows other replicas too.
/// </summary>
public sealed partial class DeploymentsPage : IDisposable
{
    public static readonly PortalFeature Feature = new(
        "deployments", "Deployments", "rocket_launch", "deployments", 20,
        "Deploy services with a preview and a diff, watch the rollout live, roll back and promote.");

    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private PortalEnvironment? _environment;
    private IReadOnlyList<Release> _releases = [];
    private IReadOnlyList<string> _services = [];
    private string? _problem;
    private string? _stale;
    private DateTimeOffset _now;
    private LiveRefresh? _live;
    private (string? Environment, string? Service) _loaded;
    private bool _disposed;

    [SupplyParameterFromQuery(Name = EnvironmentContext.QueryParameter)]
    public string? Env { get; set; }

    [SupplyParameterFromQuery(Name = "service")]
    public string? Service { get; set; }

    [Inject]
    private DeploymentService Deployments { get; set; } = default!;

    [Inject]
    private CatalogService Catalog { get; set; } = default!;

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private EnvironmentContext Context { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private JobEvents Events { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private string DeployLink => $"deploy?env={Uri.EscapeDataString(_environment?.Name ?? "")}" + (Service is { Length: > 0 } s ? $"&service={Uri.EscapeDataString(s)}" : "");

    protected override async Task OnInitializedAsync()
    {
        Context.Changed += OnEnvironmentChanged;
        _services = [.. (await Catalog.ListAsync(CancellationToken.None)).Select(s => s.Name)];
    }

    protected override async Task OnParametersSetAsync()
    {
        // The query first: the switcher fills the context a moment later on the first render.
        var name = string.IsNullOrEmpty(Env) ? Context.Current?.Name : Env;
        if (_loaded == (name, Service) && (_environment is not null || _problem is not null))
        {
            return;
        }

        _loaded = (name, Service);
        if (name is null)
        {
            (_environment, _problem, _releases) = (null, "Choose an environment in the switcher at the top.", []);
            return;
        }

        var who = await User.PrincipalAsync();
        _environment = await Environments.GetAsync(who, name, CancellationToken.None);
        _problem = _environment is null ? $"There is no environment named '{name}', or you may not see it." : null;
        await LoadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Only once interactive: a prerendered page is thrown away at once.
        if (firstRender && !_disposed)
        {
            _live = new LiveRefresh(Events, Clock, InvokeAsync, RefreshAsync, _ => true, () => _releases.Any(ReleaseFormat.IsLive), PollInterval, TimeSpan.FromSeconds(1));
            _live.Request();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Context.Changed -= OnEnvironmentChanged;
        _live?.Dispose();
    }

    private async Task LoadAsync()
    {
        _now = Clock.GetUtcNow();
        if (_environment is null)
        {
            _releases = [];
            return;
        }

        var service = string.IsNullOrEmpty(Service) ? null : Service;
        _releases = await Deployments.ListAsync(await User.PrincipalAsync(), _environment.Name, service, 500, CancellationToken.None) ?? [];
    }

    private async Task RefreshAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            await LoadAsync();
            _stale = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _stale = $"Could not refresh the list: {ex.Message}";
        }

        StateHasChanged();
    }

    private void OnServiceChanged(object? value) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("service", value as string is { Length: > 0 } s ? s : null));

    private void OnEnvironmentChanged()
    {
        // Without ?env= the page follows the switcher's choice.
        if (string.IsNullOrEmpty(Env) && Context.Current?.Name != _environment?.Name)
        {
            _ = InvokeAsync(async () =>
            {
                await OnParametersSetAsync();
                StateHasChanged();
            });
        }
    }
}
