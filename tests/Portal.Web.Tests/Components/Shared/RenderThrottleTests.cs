using Portal.Web.Components.Shared;

namespace Portal.Web.Tests.Components.Shared;

public sealed class RenderThrottleTests
{
    [Fact]
    public async Task Request_AfterQuiet_RunsAtOnceNotAfterTheWindow()
    {
        var ran = new TaskCompletionSource();
        var throttle = new RenderThrottle(TimeSpan.FromSeconds(30), () =>
        {
            ran.TrySetResult();
            return Task.CompletedTask;
        });

        throttle.Request();

        await ran.Task.WaitAsync(TimeSpan.FromSeconds(5));   // far less than the 30 s window
    }

    [Fact]
    public async Task Burst_RunsOnceForTheBurst_ThenOnceMoreAfterTheWindowForLaterRequests()
    {
        var runs = 0;
        var second = new TaskCompletionSource();
        var throttle = new RenderThrottle(TimeSpan.FromMilliseconds(400), () =>
        {
            if (Interlocked.Increment(ref runs) == 2)
            {
                second.TrySetResult();
            }

            return Task.CompletedTask;
        });

        for (var i = 0; i < 1000; i++)
        {
            throttle.Request();
        }

        await Task.Delay(100);
        Volatile.Read(ref runs).ShouldBe(1, "a burst of requests is one run");
        for (var i = 0; i < 1000; i++)
        {
            throttle.Request();
        }

        await second.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(600);
        Volatile.Read(ref runs).ShouldBe(2, "requests inside the window wait for its end and then run once");
    }

    [Fact]
    public async Task Stopped_NothingRuns()
    {
        var runs = 0;
        var throttle = new RenderThrottle(TimeSpan.FromMilliseconds(10), () =>
        {
            Interlocked.Increment(ref runs);
            return Task.CompletedTask;
        })
        { Stopped = true };

        throttle.Request();
        await Task.Delay(200);

        runs.ShouldBe(0);
    }
}
