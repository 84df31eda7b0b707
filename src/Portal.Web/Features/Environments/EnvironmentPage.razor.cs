using Microsoft.AspNetCore.Components;
using Portal.Core.Jobs;

namespace Portal.Web.Features.Environments;

/// <summary>
/// One environment: its summary and who may do what in it. While a job works on it, its status follows (read again
/// at most once a second when any job changes).
/// </summary>
public sealed partial class EnvironmentPage : IDisposable
{
    private PortalEnvironment? _environment;
    private bool _loaded;
    private RenderThrottle? _refresh;

    [Parameter]
    public string Name { get; set; } = "";

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private JobEvents Jobs { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _environment = await Environments.GetAsync(await User.PrincipalAsync(), Name, CancellationToken.None);
        _loaded = true;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Only once interactive: a prerendered page is thrown away at once.
        if (firstRender)
        {
            _refresh = new RenderThrottle(TimeSpan.FromSeconds(1), () => InvokeAsync(async () =>
            {
                _environment = await Environments.GetAsync(await User.PrincipalAsync(), Name, CancellationToken.None);
                StateHasChanged();
            }));
            Jobs.JobChanged += OnJobChanged;

            // A job that finished between the load and this subscription raised its last event unseen: read once more.
            _refresh.Request();
        }
    }

    public void Dispose()
    {
        Jobs.JobChanged -= OnJobChanged;
        if (_refresh is not null)
        {
            _refresh.Stopped = true;
        }
    }

    private void OnJobChanged(Guid job) => _refresh?.Request();

    private void OnChanged(PortalEnvironment changed) => _environment = changed;
}
