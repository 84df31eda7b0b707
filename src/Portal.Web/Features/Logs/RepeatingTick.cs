namespace Portal.Web.Features.Logs;

/// <summary>
/// Runs a tick every interval through <c>dispatch</c> (a component's <c>InvokeAsync</c>), so the tick touches the
/// component's state on its renderer only; changing the interval restarts it, infinite stops it. A failing tick is
/// logged and the next one runs; a tick is never run after <see cref="Dispose"/>.
/// </summary>
public sealed class RepeatingTick(TimeProvider clock, Func<Func<Task>, Task> dispatch, ILogger logger) : IDisposable
{
    private CancellationTokenSource? _stop;

    public TimeSpan Every { get; private set; } = Timeout.InfiniteTimeSpan;

    /// <summary>Ticks every <paramref name="every"/> from now on (unless it already does); infinite stops.</summary>
    public void Set(TimeSpan every, Func<Task> tick)
    {
        if (every == Every)
        {
            return;
        }

        Stop();
        Every = every;
        if (every != Timeout.InfiniteTimeSpan)
        {
            _stop = new CancellationTokenSource();
            _ = RunAsync(every, tick, _stop.Token);
        }
    }

    public void Dispose() => Stop();

    private void Stop()
    {
        Every = Timeout.InfiniteTimeSpan;
        if (_stop is { } stop)
        {
            stop.Cancel();
            stop.Dispose();
            _stop = null;
        }
    }

    private async Task RunAsync(TimeSpan every, Func<Task> tick, CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(every, clock);
            while (await timer.WaitForNextTickAsync(ct))
            {
                await dispatch(async () =>
                {
                    if (ct.IsCancellationRequested)
                    {
                        return;
                    }

                    try
                    {
                        await tick();
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logger.LogWarning(ex, "A timed refresh of Discover failed");
                    }
                });
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the interval changed or the page closed.
        }
    }
}
