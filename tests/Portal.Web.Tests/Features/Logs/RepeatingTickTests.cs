using Microsoft.Extensions.Logging.Abstractions;
using Portal.Web.Features.Logs;

namespace Portal.Web.Tests.Features.Logs;

/// <summary>The page's timers (auto-refresh, live tail): ticks through the dispatcher, survive a failing tick, stop when told.</summary>
public sealed class RepeatingTickTests
{
    [Fact]
    public async Task Set_Interval_TicksThroughTheDispatcher_AndAFailingTickDoesNotStopIt()
    {
        var dispatched = 0;
        var ticks = 0;
        using var repeating = new RepeatingTick(TimeProvider.System, async work =>
        {
            Interlocked.Increment(ref dispatched);
            await work();
        }, NullLogger.Instance);

        repeating.Set(TimeSpan.FromMilliseconds(20), () => Interlocked.Increment(ref ticks) == 1 ? throw new InvalidOperationException("first tick fails") : Task.CompletedTask);

        await EventuallyAsync(() => Volatile.Read(ref ticks) >= 3);
        Volatile.Read(ref dispatched).ShouldBeGreaterThanOrEqualTo(3);
        repeating.Every.ShouldBe(TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public async Task Set_Infinite_StopsTicking()
    {
        var ticks = 0;
        using var repeating = new RepeatingTick(TimeProvider.System, work => work(), NullLogger.Instance);
        repeating.Set(TimeSpan.FromMilliseconds(20), () =>
        {
            Interlocked.Increment(ref ticks);
            return Task.CompletedTask;
        });
        await EventuallyAsync(() => Volatile.Read(ref ticks) >= 1);

        repeating.Set(Timeout.InfiniteTimeSpan, () => Task.CompletedTask);
        await Task.Delay(60);
        var stopped = Volatile.Read(ref ticks);
        await Task.Delay(200);

        Volatile.Read(ref ticks).ShouldBe(stopped);
        repeating.Every.ShouldBe(Timeout.InfiniteTimeSpan);
    }

    [Fact]
    public async Task Set_SameInterval_KeepsTheRunningTimer()
    {
        var first = 0;
        var second = 0;
        using var repeating = new RepeatingTick(TimeProvider.System, work => work(), NullLogger.Instance);
        repeating.Set(TimeSpan.FromMilliseconds(20), () => Task.FromResult(Interlocked.Increment(ref first)));

        repeating.Set(TimeSpan.FromMilliseconds(20), () => Task.FromResult(Interlocked.Increment(ref second)));
        await EventuallyAsync(() => Volatile.Read(ref first) >= 2);

        Volatile.Read(ref second).ShouldBe(0);
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the condition never held");
            await Task.Delay(10);
        }
    }
}
