using Portal.Core.Alarms;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// Keeps an alarm view current (the board, an alarm's page, the top-bar counter): a new read of the alarms
/// (<see cref="IAlarmFeed.Changed"/>) or someone's triage (<see cref="AlarmService.TriageChanged"/>) that concerns the
/// view refreshes it, the first at once and then at most once per <see cref="Window"/> however many arrive; and every
/// <c>every</c> it refreshes anyway, for what changes with time alone (ages, a snooze running out). Each refresh runs
/// through the owner's dispatcher (a component's <c>InvokeAsync</c>). Dispose unsubscribes.
/// </summary>
public sealed class AlarmLive : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly IAlarmFeed _feed;
    private readonly AlarmService _alarms;
    private readonly Func<AlarmFeedSnapshot, bool> _feedRelevant;
    private readonly Func<string, bool> _triageRelevant;
    private readonly RenderThrottle _throttle;
    private readonly CancellationTokenSource _ticking = new();
    private bool _disposed;

    public AlarmLive(IAlarmFeed feed, AlarmService alarms, TimeProvider clock, Func<Func<Task>, Task> dispatch, Func<Task> refresh, TimeSpan every,
        Func<AlarmFeedSnapshot, bool>? feedRelevant = null, Func<string, bool>? triageRelevant = null)
    {
        _feed = feed;
        _alarms = alarms;
        _feedRelevant = feedRelevant ?? (_ => true);
        _triageRelevant = triageRelevant ?? (_ => true);
        _throttle = new RenderThrottle(Window, () => dispatch(refresh));
        feed.Changed += OnFeedChanged;
        alarms.TriageChanged += OnTriageChanged;
        if (every != Timeout.InfiniteTimeSpan)
        {
            _ = TickAsync(clock, dispatch, refresh, every, _ticking.Token);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _feed.Changed -= OnFeedChanged;
        _alarms.TriageChanged -= OnTriageChanged;
        _throttle.Stopped = true;
        _ticking.Cancel();
        _ticking.Dispose();
    }

    private void OnFeedChanged(AlarmFeedSnapshot snapshot)
    {
        if (!_disposed && _feedRelevant(snapshot))
        {
            _throttle.Request();
        }
    }

    private void OnTriageChanged(string alarmName)
    {
        if (!_disposed && _triageRelevant(alarmName))
        {
            _throttle.Request();
        }
    }

    private static async Task TickAsync(TimeProvider clock, Func<Func<Task>, Task> dispatch, Func<Task> refresh, TimeSpan every, CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(every, clock);
            while (await timer.WaitForNextTickAsync(ct))
            {
                await dispatch(refresh);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Disposed: the page is gone.
        }
    }
}
