using Microsoft.AspNetCore.Components;
using Portal.Core.Jobs;
using JobResults = Portal.Core.Jobs.JobPage;

namespace Portal.Web.Features.Jobs;

/// <summary>
/// Every job the user may see, newest first: filters kept in the URL (so a filtered list can be shared), server-side
/// paging, and the page refreshed as jobs of this replica change.
/// </summary>
public sealed partial class JobsPage : IDisposable
{
    public static readonly PortalFeature Feature = new(
        "jobs", "Jobs", "work_history", "jobs", 15,
        "Provisioning and other long work: follow each job's steps and log live, cancel it, or retry it from the step that failed.");

    private const int PageSize = 50;

    private static readonly IReadOnlyList<JobState?> States = [.. Enum.GetValues<JobState>().Select(s => (JobState?)s)];

    private JobFilter _filter = new();
    private RadzenDataGrid<PortalJob>? _grid;
    private JobResults _page = new([], 0);
    private IReadOnlyList<string> _environments = [];
    private IReadOnlyList<string> _kinds = [];
    private bool _loading;
    private DateTimeOffset _now;
    private RenderThrottle? _refresh;

    [SupplyParameterFromQuery(Name = "environment")]
    public string? Environment { get; set; }

    [SupplyParameterFromQuery(Name = "kind")]
    public string? Kind { get; set; }

    [SupplyParameterFromQuery(Name = "state")]
    public string? State { get; set; }

    [SupplyParameterFromQuery(Name = "user")]
    public string? RequestedBy { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? To { get; set; }

    [Inject]
    private JobService Jobs { get; set; } = default!;

    [Inject]
    private JobEvents Events { get; set; } = default!;

    [Inject]
    private IEnumerable<IJobDefinition> Definitions { get; set; } = default!;

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _kinds = [.. Definitions.Select(d => d.Kind).Order(StringComparer.Ordinal)];
        _environments = [.. (await Environments.ListAsync(await User.PrincipalAsync(), CancellationToken.None)).Select(e => e.Name)];
    }

    protected override async Task OnParametersSetAsync()
    {
        _filter = JobFilter.Parse(Environment, Kind, State, RequestedBy, From, To);
        if (_grid is null)
        {
            await LoadAsync(new LoadDataArgs { Skip = 0, Top = PageSize });
        }
        else
        {
            await _grid.FirstPage(true);
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            // A running job changes many times a second (every log line): the visible page is read again at most once a second.
            _refresh = new RenderThrottle(TimeSpan.FromSeconds(1), () => InvokeAsync(async () =>
            {
                if (_grid is not null)
                {
                    await _grid.Reload();
                }
            }));
            Events.JobChanged += OnJobChanged;
        }
    }

    public void Dispose()
    {
        Events.JobChanged -= OnJobChanged;
        if (_refresh is not null)
        {
            _refresh.Stopped = true;
        }
    }

    private async Task LoadAsync(LoadDataArgs args)
    {
        _loading = true;
        _page = await Jobs.ListAsync(await User.PrincipalAsync(), _filter.ToQuery(args.Skip ?? 0, args.Top ?? PageSize), CancellationToken.None);
        _now = Clock.GetUtcNow();
        _loading = false;
    }

    /// <summary>The filters go into the URL; the router sets the query parameters again, which reloads the first page.</summary>
    private void Apply() => Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(_filter.ToUrlQuery()));

    private void OnJobChanged(Guid id) => _refresh?.Request();
}
