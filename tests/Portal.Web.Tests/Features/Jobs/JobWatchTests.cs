using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Authorization;
using Portal.Core.Jobs;
using Portal.Web.Features.Jobs;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Features.Workloads;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Jobs;

/// <summary>What keeps the job page live, on the renderer's kind of dispatcher: refresh on the job's own events, poll, read each line once.</summary>
public sealed class JobWatchTests(JobsAppFactory jobs) : IClassFixture<JobsAppFactory>
{
    private static readonly PortalPrincipal Developer = new(MatrixAppFactory.UserFor(Roles.Developer), "Matrix Developer", new HashSet<string>());

    private readonly Dispatcher _dispatcher = Dispatcher.CreateDefault();

    [Fact]
    public async Task Start_RefreshesOnTheJobsOwnEvents_NotOnOthers_AndStopsWhenDisposed()
    {
        var id = await SucceededJobAsync();
        var events = new JobEvents();
        var changes = 0;
        var watch = new JobWatch(Service<JobService>(), events, TimeProvider.System, Developer, id);
        watch.Start(_dispatcher.InvokeAsync, () => changes++, Timeout.InfiniteTimeSpan);

        events.Changed(Guid.NewGuid());
        await Task.Delay(200);
        (await OnDispatcherAsync(() => (changes, watch.Job))).ShouldBe((0, null), "another job's change is not this page's");

        events.Changed(id);
        await EventuallyAsync(() => changes == 1);
        (await OnDispatcherAsync(() => watch.Job!.State)).ShouldBe(JobState.Succeeded);
        (await OnDispatcherAsync(() => watch.Description)).ShouldStartWith("Create environment ");

        watch.Dispose();
        events.Changed(id);
        await Task.Delay(200);
        (await OnDispatcherAsync(() => changes)).ShouldBe(1);
    }

    [Fact]
    public async Task Start_PollsForOtherReplicasChanges()
    {
        var id = await SucceededJobAsync();
        var changes = 0;
        using var watch = new JobWatch(Service<JobService>(), new JobEvents(), TimeProvider.System, Developer, id);

        watch.Start(_dispatcher.InvokeAsync, () => changes++, TimeSpan.FromMilliseconds(50));

        await EventuallyAsync(() => changes >= 2);
        (await OnDispatcherAsync(() => watch.Job!.State)).ShouldBe(JobState.Succeeded);
    }

    [Fact]
    public async Task Refresh_ReadsEachLogLineOnce_AndABurstOfChangesCostsFewReads()
    {
        var id = await SucceededJobAsync();
        using var client = await jobs.App.SignInAsync(Developer.UserName);
        var all = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}/log")).EnumerateArray().Select(l => l.GetProperty("sequence").GetInt64()).ToList();
        var events = new JobEvents();
        var changes = 0;
        using var watch = new JobWatch(Service<JobService>(), events, TimeProvider.System, Developer, id);
        watch.Start(_dispatcher.InvokeAsync, () => changes++, Timeout.InfiniteTimeSpan);

        for (var i = 0; i < 100; i++)
        {
            events.Changed(id);
        }

        await EventuallyAsync(() => changes >= 1);
        await Task.Delay(300);
        await _dispatcher.InvokeAsync(watch.RefreshAsync);

        (await OnDispatcherAsync(() => watch.Log.Select(l => l.Sequence).ToList())).ShouldBe(all);
        (await OnDispatcherAsync(() => changes)).ShouldBeLessThanOrEqualTo(4, "a burst of changes costs a read or two (and the one asked for), not one per change");
    }

    [Fact]
    public async Task Load_JobTheUserMayNotSee_IsNull()
    {
        var id = await SucceededJobAsync();
        var outsider = new PortalPrincipal(JobsAppFactory.Outsider, "Jobs Outsider", new HashSet<string>());
        using var watch = new JobWatch(Service<JobService>(), new JobEvents(), TimeProvider.System, outsider, id);

        await _dispatcher.InvokeAsync(watch.LoadAsync);

        watch.Job.ShouldBeNull();
        watch.Log.ShouldBeEmpty();
    }

    private T Service<T>()
        where T : notnull => jobs.App.Services.GetRequiredService<T>();

    private async Task<Guid> SucceededJobAsync()
    {
        using var client = await jobs.App.SignInAsync(Developer.UserName);
        return (await JobsAppFactory.CreateEnvironmentAsync(client, "jobs-watch")).Job;
    }

    private Task<T> OnDispatcherAsync<T>(Func<T> read) => _dispatcher.InvokeAsync(read);

    private Task EventuallyAsync(Func<bool> condition) => WorkloadsApiTests.EventuallyAsync(async () =>
        await _dispatcher.InvokeAsync(condition) ? default(JsonElement) : null);
}
