using Microsoft.AspNetCore.Components;
using Portal.Core.Alarms;
using Portal.Web.Features.Alarms;

namespace Portal.Web.Components.Layout;

/// <summary>
/// The top bar's alarm counter over the alarms the signed-in user may see, kept live by the alarm feed and by triage
/// (<see cref="AlarmLive"/>), and the browser's announcement of each alarm that enters ALARM after the page loaded
/// (<see cref="AlarmAnnouncer"/>): a notification that opens the alarm, and the same sentence in an aria-live region.
/// </summary>
public sealed partial class AlarmIndicator : IDisposable
{
    /// <summary>Also read this often without any event: snoozes run out on their own.</summary>
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(60);

    /// <summary>More at once than this are summed up in one more notification.</summary>
    private const int MaxNotifications = 3;

    private readonly AlarmAnnouncer _announcer = new();
    private CoalescingRefresh? _refresh;
    private AlarmLive? _live;
    private bool _signedIn;
    private int _firing;
    private int _unacknowledged;
    private string _announcement = "";
    private bool _disposed;

    [Inject]
    private AlarmService Alarms { get; set; } = default!;

    [Inject]
    private IAlarmFeed Feed { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private ILogger<AlarmIndicator> Logger { get; set; } = default!;

    private string Label => _firing == 0
        ? "Alarms: none firing"
        : $"Alarms: {_firing} firing, {_unacknowledged} unacknowledged";

    private string CounterClass =>
        $"alarm-counter{(_firing > 0 ? " firing" : "")}{(_unacknowledged > 0 ? " unacknowledged" : "")}";

    protected override async Task OnInitializedAsync()
    {
        try
        {
            // The first look only learns what already fires: nothing is announced for it.
            await LoadAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Only the counter degrades; the next change or tick tries again.
            Logger.LogWarning(ex, "Loading the alarm counter failed");
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Only a live circuit follows the alarms; the prerendered HTML is a snapshot.
        if (firstRender && RendererInfo.IsInteractive)
        {
            _refresh = new CoalescingRefresh(LoadAsync, "the alarm counter", () => _disposed);
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
        if (_refresh is not null && await _refresh.RunAsync() && !_disposed)
        {
            if (_refresh.Problem is { } problem)
            {
                Logger.LogWarning("Refreshing the alarm counter failed: {Problem}", problem);
            }

            StateHasChanged();
        }
    }

    private async Task LoadAsync()
    {
        var who = await User.PrincipalAsync();
        _signedIn = who.IsAuthenticated;
        if (!_signedIn)
        {
            return;
        }

        var board = await Alarms.BoardAsync(who, new AlarmFilter(), CancellationToken.None);
        (_firing, _unacknowledged) = (board.Counts.Firing, board.Counts.Unacknowledged);
        var fresh = _announcer.Update(board.Alarms);
        if (fresh.Count > 0)
        {
            Announce(fresh);
        }
    }

    private void Announce(IReadOnlyList<AlarmView> fresh)
    {
        foreach (var view in fresh.Take(MaxNotifications))
        {
            var link = AlarmLinks.Alarm(view.Name);
            Notifications.Notify(new NotificationMessage
            {
                Severity = NotificationSeverity.Error,
                Summary = $"ALARM: {view.Name}",
                Detail = $"{view.Placement.Environment ?? "no environment"} · {AlarmWording.Describe(view.Alarm)}",
                Duration = 15_000,
                CloseOnClick = true,
                Click = _ => Navigation.NavigateTo(link),
            });
        }

        if (fresh.Count > MaxNotifications)
        {
            Notifications.Notify(new NotificationMessage
            {
                Severity = NotificationSeverity.Error,
                Summary = $"{fresh.Count - MaxNotifications} more alarms are firing",
                Duration = 15_000,
                CloseOnClick = true,
                Click = _ => Navigation.NavigateTo(AlarmLinks.Board),
            });
        }

        _announcement = string.Join(" ", fresh.Select(AlarmAnnouncer.Sentence));
    }
}
