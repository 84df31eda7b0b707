using Microsoft.AspNetCore.Components;
using Portal.Core.Actions;
using Portal.Core.Alarms;
using Portal.Core.Authorization;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// The alarm board: the counts over every alarm the user may see, the filtered alarms grouped by state, most urgent
/// first. The filters live in the URL (<see cref="AlarmBoardQuery"/>); the board follows each read of the alarms and
/// each triage as it happens (<see cref="AlarmLive"/>), and says when it last read them and which accounts failed.
/// </summary>
public sealed partial class AlarmsPage : IDisposable
{
    public static readonly PortalFeature Feature = new(
        "alarms", "Alarms", "notifications_active", "alarms", 50,
        "Triage CloudWatch alarms: acknowledge, assign, annotate, snooze, and jump to pods, logs and changes.");

    /// <summary>Read again this often without any event: ages move on and snoozes run out.</summary>
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(15);

    /// <summary>"Read now" asks the accounts again only if the last read is older than this (the poller reads anyway).</summary>
    private static readonly TimeSpan ReadNowMinimumAge = TimeSpan.FromSeconds(5);

    private AlarmBoardQuery _query = new();
    private AlarmBoard _board = new([], new AlarmCounts(0, 0, 0, 0, 0), null, []);
    private IReadOnlyList<AlarmView> _listed = [];
    private IReadOnlyList<string> _environments = [];
    private IReadOnlyList<string> _services = [];
    private DateTimeOffset _now;
    private CoalescingRefresh? _refresh;
    private AlarmLive? _live;
    private string? _readProblem;
    private bool _reading;
    private bool _disposed;

    [SupplyParameterFromQuery(Name = "state")]
    public string? State { get; set; }

    [SupplyParameterFromQuery(Name = "environment")]
    public string? Environment { get; set; }

    [SupplyParameterFromQuery(Name = "service")]
    public string? Service { get; set; }

    [SupplyParameterFromQuery(Name = "severity")]
    public string? Severity { get; set; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? Q { get; set; }

    [Inject]
    private AlarmService Alarms { get; set; } = default!;

    [Inject]
    private IAlarmFeed Feed { get; set; } = default!;

    [Inject]
    private PortalActions Actions { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private CoalescingRefresh Refresh => _refresh ??= new(LoadAsync, "the alarms", () => _disposed);

    protected override async Task OnInitializedAsync()
    {
        var who = await User.PrincipalAsync();
        _environments = [.. (await Actions.AllowedEnvironmentsAsync(who, Permissions.AlarmsRead, CancellationToken.None)).Select(e => e.Name)];
    }

    protected override async Task OnParametersSetAsync()
    {
        _query = AlarmBoardQuery.Parse(State, Environment, Service, Severity, Q);
        await Refresh.RunAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _live = new AlarmLive(Feed, Alarms, Clock, InvokeAsync, RefreshAsync, RefreshEvery);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _live?.Dispose();
    }

    private async Task RefreshAsync()
    {
        if (await Refresh.RunAsync() && !_disposed)
        {
            StateHasChanged();
        }
    }

    /// <summary>The counts and the filters' choices come from every visible alarm; the rows from the filtered board.</summary>
    private async Task LoadAsync()
    {
        var who = await User.PrincipalAsync();
        var query = _query;
        var all = await Alarms.BoardAsync(who, new AlarmFilter(), CancellationToken.None);
        var listed = query.IsEmpty ? all.Alarms : (await Alarms.BoardAsync(who, query.ToFilter(), CancellationToken.None)).Alarms;
        _board = all;
        _listed = listed;
        _services = [.. all.Alarms
            .Where(a => query.Environment is null || a.Placement.Environment == query.Environment)
            .Select(a => a.Placement.Service).OfType<string>()
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _now = Clock.GetUtcNow();
    }

    private async Task ReadNowAsync()
    {
        _reading = true;
        _readProblem = null;
        try
        {
            if (Feed.Current.ReadAt is not { } read || Clock.GetUtcNow() - read >= ReadNowMinimumAge)
            {
                await Feed.RefreshAsync(CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _readProblem = $"Could not read the alarms now: {ex.Message}";
        }
        finally
        {
            _reading = false;
        }

        await Refresh.RunAsync();
    }

    /// <summary>The filters go into the URL; the router sets the query parameters again, which reloads the board.</summary>
    private void Apply(AlarmBoardQuery query) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(query.ToUrlQuery()));
}
