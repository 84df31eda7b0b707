using Portal.Core.Costs;
using Portal.Core.Environments;
using static Portal.Web.Tests.Features.Costs.Core.CostsCoreApp;

namespace Portal.Web.Tests.Features.Costs.Core;

/// <summary>
/// The sampling job into the real store, with the clusters scripted and the clock moved by hand: one slot per
/// interval and cluster whatever the number of runs, a cluster that cannot be read skipped (and reported once) while
/// the others are sampled, and time without a run left as a gap. Each test has its own app: they move the clock.
/// </summary>
public sealed class CostSamplingJobTests
{
    private static readonly DateTimeOffset Slot = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_TwiceInOneSlot_SamplesOnce_TheSecondRunFindsItSampled()
    {
        using var app = new CostsCoreApp();
        await app.AddEnvironmentAsync("sj-one", EnvironmentTier.Dev, "sj-a");
        await app.AddEnvironmentAsync("sj-two", EnvironmentTier.Dev, "sj-b");
        app.Source.Set(ScriptedCostSource.OnePodEach("sj-a", Start, "sj-one"));
        app.Source.Set(ScriptedCostSource.OnePodEach("sj-b", Start, "sj-two"));
        var job = app.Get<CostSamplingJob>();

        var first = await job.RunAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var second = await job.RunAsync(CancellationToken.None);

        first.Sampled.ShouldBe(["sj-a", "sj-b"]);
        first.AlreadySampled.ShouldBeEmpty();
        first.Failed.ShouldBeEmpty();
        second.Sampled.ShouldBeEmpty();
        second.AlreadySampled.ShouldBe(["sj-a", "sj-b"], "09:04 is still the 09:00 slot");
        var store = app.Get<ICostStore>();
        var slots = await store.SlotsAsync(Slot.AddHours(-1), Slot.AddHours(1), "sj-a", CancellationToken.None);
        slots.Select(s => (s.Start, s.Length, s.Usage)).ShouldBe([(Slot, TimeSpan.FromMinutes(5), UsageSource.MetricsApi)], "now floored to the 5-minute interval");
        var pod = (await store.RecordsAsync(new CostQuery(Slot, Slot.AddHours(1)) { Cluster = "sj-a", Namespaces = ["sj-one"] }, CancellationToken.None)).ShouldHaveSingleItem();
        pod.Service.ShouldBe("web");
        pod.Hours.ShouldBe(5 / 60d, 1e-9, "one 5-minute slot, not two");
        pod.CpuRequestCoreHours.ShouldBe(5 / 60d, 1e-9, "1 core for 5 minutes");
    }

    [Fact]
    public async Task RunAsync_AFailingCluster_IsSkippedAndReportedOnce_TheOtherIsSampled()
    {
        using var app = new CostsCoreApp();
        await app.AddEnvironmentAsync("sf-one", EnvironmentTier.Dev, "sf-a");
        app.Source.Set(ScriptedCostSource.OnePodEach("sf-a", Start, "sf-one"));
        app.Source.Failures["sf-b"] = "Cluster sf-b did not answer (connection refused).";
        var job = app.Get<CostSamplingJob>();

        var first = await job.RunAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await job.RunAsync(CancellationToken.None);
        app.Source.Failures["sf-b"] = "Cluster sf-b refused Portal's credentials (401).";
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var third = await job.RunAsync(CancellationToken.None);
        app.Source.Failures.TryRemove("sf-b", out _);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var fourth = await job.RunAsync(CancellationToken.None);

        first.Sampled.ShouldBe(["sf-a"]);
        first.Failed.Keys.ShouldBe(["sf-b"]);
        first.Failed["sf-b"].ShouldBe("Cluster sf-b did not answer (connection refused).");
        first.NewProblems.Keys.ShouldBe(["sf-b"]);
        second.Sampled.ShouldBe(["sf-a"], "the next slot");
        second.Failed.Keys.ShouldBe(["sf-b"]);
        second.NewProblems.ShouldBeEmpty("the same problem is not reported again");
        third.NewProblems["sf-b"].ShouldContain("401", Case.Sensitive, "a different problem is new");
        fourth.Failed.ShouldBeEmpty();
        fourth.NewProblems.ShouldBeEmpty();
        (await app.Get<ICostStore>().SlotsAsync(Slot, Slot.AddHours(1), "sf-b", CancellationToken.None)).ShouldBeEmpty("sf-b had no snapshot: its slots are gaps");
        (await app.Get<ICostStore>().SlotsAsync(Slot, Slot.AddHours(1), "sf-a", CancellationToken.None)).Count.ShouldBe(4, "sf-a was sampled in each of the four slots");
    }

    [Fact]
    public async Task RunAsync_TimeWithoutARun_IsAGap_InSlotsAndInTheDailyCost()
    {
        using var app = new CostsCoreApp();
        await app.AddEnvironmentAsync("sg-one", EnvironmentTier.Dev, "sg-a");
        await app.BindAsync("gina", Portal.Core.Authorization.Roles.Viewer, "sg-one");
        app.Source.Set(ScriptedCostSource.OnePodEach("sg-a", Start, "sg-one"));
        var job = app.Get<CostSamplingJob>();

        await job.RunAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromMinutes(20));
        await job.RunAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromDays(2));
        await job.RunAsync(CancellationToken.None);

        var slots = await app.Get<ICostStore>().SlotsAsync(Slot, Slot.AddDays(3), "sg-a", CancellationToken.None);
        slots.Select(s => s.Start).ShouldBe([Slot, Slot.AddMinutes(20), Slot.AddDays(2).AddMinutes(20)], "09:05 to 09:15 and the 23rd were never sampled");
        var report = await app.Get<CostService>().EnvironmentAsync(Person("gina"), "sg-one", new DateOnly(2026, 11, 22), new DateOnly(2026, 11, 24), CancellationToken.None);
        report.ShouldNotBeNull();
        report.Days.Select(d => d.Total is null).ShouldBe([false, true, false], "the 23rd is a gap, not a day that cost nothing");
        report.Days[0].CoveredHours.ShouldBe(10 / 60d, 1e-9, "two 5-minute slots");
        (report.Days[0].Total ?? 0m).ShouldBeGreaterThan(0m);
    }
}
