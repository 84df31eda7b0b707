namespace Portal.Web.Components.Shared;

/// <summary>
/// Runs an action for a stream of requests: the first at once (a single change shows without delay), then at most
/// once per window however many requests arrive (a burst of a thousand pod changes costs a few renders a second).
/// </summary>
public sealed class RenderThrottle(TimeSpan window, Func<Task> action)
{
    private int _scheduled;
    private long _lastTicks;

    public bool Stopped { get; set; }

    public void Request()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 1)
        {
            return;
        }

        var wait = window - (DateTimeOffset.UtcNow - new DateTimeOffset(Interlocked.Read(ref _lastTicks), TimeSpan.Zero));
        _ = Task.Run(async () =>
        {
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            Interlocked.Exchange(ref _lastTicks, DateTimeOffset.UtcNow.UtcTicks);
            Interlocked.Exchange(ref _scheduled, 0);
            if (!Stopped)
            {
                await action();
            }
        });
    }
}
