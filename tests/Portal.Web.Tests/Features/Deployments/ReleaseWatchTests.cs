using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Authorization;
using Portal.Core.Deployments;
using Portal.Core.Jobs;
using Portal.Web.Features.Deployments;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Deployments;

/// <summary>What keeps the release page live, on the renderer's kind of dispatcher: the job's events, the poll, and when both stop.</summary>
[Collection(DeploymentsCollection.Name)]
public sealed class ReleaseWatchTests(DeploymentsAppFactory deployments)
{
    private static readonly PortalPrincipal Developer = new(DeploymentsAppFactory.Developer, "Matrix Developer", new HashSet<string>());

    private readonly Dispatcher _dispatcher = Dispatcher.CreateDefault();

    [Fact]
    public async Task Start_FollowsTheJobsEventsToSucceeded_WithThePodsReady()
    {
        var id = await DeployAsync("1.0.0");
        var changes = 0;
        using var watch = new ReleaseWatch(Service<DeploymentService>(), Service<JobEvents>(), TimeProvider.System, Developer, "dev", id);
        await _dispatcher.InvokeAsync(watch.LoadAsync);

        watch.Start(_dispatcher.InvokeAsync, () => changes++, Timeout.InfiniteTimeSpan);

        // The watch reads once more after the release finished before it stops: IsLive turns false a moment later.
        await EventuallyAsync(() => watch.Release?.State == ReleaseState.Succeeded && watch.Rollout?.Complete == true && !watch.IsLive);
        (await OnDispatcherAsync(() => watch.Rollout!.Pods.All(p => p.Ready && p.Current))).ShouldBeTrue();
        (await OnDispatcherAsync(() => (watch.IsLive, watch.Problem, watch.RolloutProblem))).ShouldBe((false, null, null));
        (await OnDispatcherAsync(() => changes)).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Start_WithoutEvents_PollsUntilFinished_ThenReadsOnceMoreAndStops()
    {
        var id = await DeployAsync("1.0.0");
        var changes = 0;
        using var watch = new ReleaseWatch(Service<DeploymentService>(), new JobEvents(), TimeProvider.System, Developer, "dev", id);
        await _dispatcher.InvokeAsync(watch.LoadAsync);

        watch.Start(_dispatcher.InvokeAsync, () => changes++, TimeSpan.FromMilliseconds(100));

        await EventuallyAsync(() => watch.Release?.State == ReleaseState.Succeeded && !watch.IsLive);
        var settled = await OnDispatcherAsync(() => changes);
        await Task.Delay(600);
        (await OnDispatcherAsync(() => changes)).ShouldBe(settled, "a finished release is not read again");
        (await OnDispatcherAsync(() => watch.Rollout!.Complete)).ShouldBeTrue("the last read came after it finished");
    }

    [Fact]
    public async Task Start_FinishedRelease_IgnoresEvents()
    {
        var id = await DeployAsync("1.0.0");
        var events = new JobEvents();
        var changes = 0;
        using var watch = new ReleaseWatch(Service<DeploymentService>(), events, TimeProvider.System, Developer, "dev", id);
        await EventuallyAsync(async () =>
        {
            await watch.LoadAsync();
            return watch.Release!.State == ReleaseState.Succeeded;
        });
        watch.Start(_dispatcher.InvokeAsync, () => changes++, Timeout.InfiniteTimeSpan);
        await EventuallyAsync(() => changes == 1);   // the one read right after subscribing

        events.Changed(watch.Release!.JobId!.Value);
        await Task.Delay(500);

        (await OnDispatcherAsync(() => changes)).ShouldBe(1);
    }

    [Fact]
    public async Task Load_ReleaseOfAnotherEnvironment_IsNull()
    {
        var id = await DeployAsync("1.0.0");
        using var watch = new ReleaseWatch(Service<DeploymentService>(), new JobEvents(), TimeProvider.System, Developer, "test", id);

        await _dispatcher.InvokeAsync(watch.LoadAsync);

        watch.Release.ShouldBeNull();
        watch.IsLive.ShouldBeFalse();
    }

    private T Service<T>()
        where T : notnull => deployments.App.Services.GetRequiredService<T>();

    private async Task<Guid> DeployAsync(string version)
    {
        using var client = await deployments.App.SignInAsync(DeploymentsAppFactory.Developer);
        var service = await DeployApi.CreateServiceAsync(client, "dp-watch");
        return (await DeployApi.DeployAsync(client, "dev", new { service, version })).GetProperty("id").GetGuid();
    }

    private Task<T> OnDispatcherAsync<T>(Func<T> read) => _dispatcher.InvokeAsync(read);

    private Task EventuallyAsync(Func<bool> condition) => DeployApi.EventuallyAsync(() => _dispatcher.InvokeAsync(condition));

    private static Task EventuallyAsync(Func<Task<bool>> condition) => DeployApi.EventuallyAsync(condition);
}
