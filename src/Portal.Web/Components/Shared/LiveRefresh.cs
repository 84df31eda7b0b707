using Portal.Core.Jobs;

namespace Portal.Web.Components.Shared;

/// <summary>
/// Keeps a live page current (a job, a release, a list of releases): a change this replica's job engine reports about a relevant job refreshes at
/// once (then at most once per <paramref name="window"/>), and while <paramref name="live"/> holds the page is also
/// read every <paramref name="pollInterval"/>, for what other replicas change. Every refresh runs through
/// <paramref name="dispatch"/> (a component's <c>InvokeAsync</c>), so state is only touched on its thread. No polling
/// when <paramref name="pollInterval"/> is <see cref="Timeout.InfiniteTimeSpan"/>.
/// </summary>
public sealed class LiveRefresh : IDisposable
{
    private readonly JobEvents _events;
    private readonly Func<Guid, bool> _relevant;
    private readonly RenderThrottle _throttle;
    private readonly CancellationTokenSource _polling = new();
    private bool _disposed;

    public LiveRefresh(JobEvents events, TimeProvider clock, Func<Func<Task>, Task> dispatch, Func<Task> refresh,
        Func<Guid, bool> relevant, Func<bool> live, TimeSpan pollInterval, TimeSpan window)
    {
        _events = events;
        _relevant = relevant;
        _throttle = new RenderThrottle(window, () => dispatch(refresh));
        _events.JobChanged += OnJobChanged;
        if (pollInterval != Timeout.InfiniteTimeSpan)
        {
            _ = PollAsync(clock, dispatch, refresh, live, pollInterval, _polling.Token);
        }
    }

    /// <summary>Asks for a refresh now (throttled like an event): e.g. right after subscribing, for a change that came just before.</summary>
    public void Request()
    {
        if (!_disposed)
        {
            _throttle.Request();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _events.JobChanged -= OnJobChanged;
        _throttle.Stopped = true;
        _polling.Cancel();
        _polling.Dispose();
    }

    private void OnJobChanged(Guid job)
    {
        if (!_disposed && _relevant(job))
        {
            _throttle.Request();
        }
    }

    private static async Task PollAsync(TimeProvider clock, Func<Func<Task>, Task> dispatch, Func<Task> refresh, Func<bool> live, TimeSpan interval, CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(interval, clock);
            while (await timer.WaitForNextTickAsync(ct))
            {
                // Decided on the owner's thread, where the state it looks at lives.
                await dispatch(() => live() ? refresh() : Task.CompletedTask);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Stopped: the page was closed.
        }
    }
}
