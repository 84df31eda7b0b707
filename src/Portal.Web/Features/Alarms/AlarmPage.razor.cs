using Microsoft.AspNetCore.Components;
using Portal.Core.Actions;
using Portal.Core.Alarms;
using Portal.Core.Authorization;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// One alarm: what it says and why it is in its state, its metric with the threshold and the time in ALARM over the
/// range in the URL (<see cref="AlarmRanges"/>), its history, and the portal-side triage and notes. It follows its own
/// state changes and everyone's triage of it live; the metric is read again every minute, as CloudWatch adds a period.
/// </summary>
public sealed partial class AlarmPage : IDisposable
{
    /// <summary>Read again this often without any event: a new period of the metric, ages moving on.</summary>
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(60);

    private string _alarmName = "";
    private (string Key, TimeSpan Span) _range = AlarmRanges.Parse(null);
    private AlarmDetail? _detail;
    private bool _loaded;
    private bool _mayTriage;
    private string? _deniedReason;
    private CoalescingRefresh? _refresh;
    private AlarmLive? _live;
    private bool _disposed;

    /// <summary>The alarm's name: the rest of the path, slashes included (<see cref="AlarmLinks.Alarm(string)"/>).</summary>
    [Parameter]
    public string? Name { get; set; }

    [SupplyParameterFromQuery(Name = "range")]
    public string? RangeText { get; set; }

    [Inject]
    private AlarmService Alarms { get; set; } = default!;

    [Inject]
    private IAlarmFeed Feed { get; set; } = default!;

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private PortalActions Actions { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private CoalescingRefresh Refresh => _refresh ??= new(LoadAsync, "the alarm", () => _disposed);

    protected override async Task OnParametersSetAsync()
    {
        var name = AlarmLinks.NameFromRoute(Name);
        var range = AlarmRanges.Parse(RangeText);
        if (_loaded && name == _alarmName && range == _range)
        {
            return;
        }

        (_alarmName, _range) = (name, range);
        await Refresh.RunAsync();
        _loaded = true;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _live = new AlarmLive(Feed, Alarms, Clock, InvokeAsync, RefreshAsync, RefreshEvery, ChangedIn, name => name == _alarmName);
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

    private async Task LoadAsync()
    {
        var who = await User.PrincipalAsync();
        var detail = await Alarms.DetailAsync(who, _alarmName, _range.Span, CancellationToken.None);
        if (detail is not null)
        {
            var decision = await MayTriageAsync(who, detail.View.Placement.Environment);
            (_mayTriage, _deniedReason) = (decision.Allowed, decision.Allowed ? null : decision.Reason);
        }

        _detail = detail;
    }

    /// <summary>Decided the way <see cref="AlarmService"/> decides it: on the alarm's environment, or organisation-wide for an unplaced alarm.</summary>
    private async Task<AccessDecision> MayTriageAsync(PortalPrincipal who, string? environment)
    {
        var placed = environment is null ? null : await Environments.FindAsync(environment, CancellationToken.None);
        return await Actions.CheckAsync(who, Permissions.AlarmsAcknowledge, placed?.Ref, CancellationToken.None);
    }

    /// <summary>Whether a new read of the alarms changed this alarm (it appeared, went, or changed state or reason).</summary>
    private bool ChangedIn(AlarmFeedSnapshot snapshot)
    {
        var shown = _detail?.View.Alarm;
        var now = snapshot.Alarms.FirstOrDefault(a => a.Name == _alarmName);
        return now is null != shown is null
            || (now is not null && shown is not null
                && (now.State != shown.State || now.StateChangedAt != shown.StateChangedAt || now.StateReason != shown.StateReason));
    }
}
