using Portal.Core.Alarms;
using Portal.Sandbox.Aws.CloudWatch;
using Portal.Testing;

namespace Portal.Sandbox.Tests.Aws.CloudWatch;

public sealed class MetricStoreTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly MetricId Cpu = MetricId.Of("Sandbox/Workloads", "CPUUtilization", [new MetricDimension("Service", "cart"), new MetricDimension("Namespace", "prod")]);
    private readonly TempDirectory _dir = new("metric-store");

    public void Dispose() => _dir.Dispose();

    private MetricStore Open(DateTimeOffset now) => new(_dir.File("metrics.jsonl"), now);

    private static MetricDatum At(int minute, params double[] samples) =>
        new(Cpu, "Percent", Noon.AddMinutes(minute), samples.Aggregate(default(StatisticSet), (set, v) => set.Add(v)));

    [Fact]
    public void Read_FiveMinutePeriods_AggregateTheMinutesStatistics()
    {
        var store = Open(Noon);
        store.Publish([At(0, 10, 20)], Noon);
        store.Publish([At(1, 30)], Noon);
        store.Publish([At(4, 40, 60)], Noon);
        store.Publish([At(6, 5)], Noon);

        var periods = store.Read(Cpu, null, Noon, Noon.AddMinutes(10), 300);

        periods.Select(p => p.Start).ShouldBe([Noon, Noon.AddMinutes(5)]);
        var first = periods[0].Values;
        first.Value("SampleCount").ShouldBe(5);
        first.Value("Sum").ShouldBe(160);
        first.Value("Average").ShouldBe(32);
        first.Value("Minimum").ShouldBe(10);
        first.Value("Maximum").ShouldBe(60);
        periods[1].Values.Value("Sum").ShouldBe(5);
    }

    [Fact]
    public void Read_OnlyTheExactSeriesAndUnit()
    {
        var store = Open(Noon);
        store.Publish([At(0, 10)], Noon);

        store.Read(MetricId.Of("Sandbox/Workloads", "CPUUtilization", [new MetricDimension("Service", "cart")]), null, Noon, Noon.AddMinutes(1), 60).ShouldBeEmpty("CloudWatch matches all dimensions exactly");
        store.Read(Cpu, "Count", Noon, Noon.AddMinutes(1), 60).ShouldBeEmpty();
        store.Read(Cpu, "Percent", Noon, Noon.AddMinutes(1), 60).Count.ShouldBe(1);
        MetricId.Of("Sandbox/Workloads", "CPUUtilization", [new MetricDimension("Namespace", "prod"), new MetricDimension("Service", "cart")]).ShouldBe(Cpu, "dimension order does not matter");
    }

    [Fact]
    public void Publish_SameMinuteTwice_Aggregates()
    {
        var store = Open(Noon);
        store.Publish([At(0, 10)], Noon);
        store.Publish([At(0, 30)], Noon);

        var minute = store.Read(Cpu, null, Noon, Noon.AddMinutes(1), 60).ShouldHaveSingleItem().Values;

        minute.SampleCount.ShouldBe(2);
        minute.Value("Average").ShouldBe(20);
    }

    [Fact]
    public void Open_AgainOnTheSameFile_ReadsBackWhatWasPublishedWithinRetention()
    {
        var first = Open(Noon);
        first.Publish([At(0, 10, 12)], Noon);
        first.Publish([At(1, 14)], Noon);

        var later = Open(Noon.AddHours(24).AddMinutes(1));

        later.Read(Cpu, null, Noon.AddHours(-1), Noon.AddHours(25), 60).Select(p => (p.Start, p.Values.Value("Sum"))).ShouldBe([(Noon.AddMinutes(1), 14.0)],
            "the sandbox keeps 24 hours: the noon minute has just expired");
        File.ReadAllLines(_dir.File("metrics.jsonl")).Length.ShouldBe(1, "the expired minute left the file too");
    }

    [Fact]
    public void Open_FileWithATornLastLine_KeepsTheWholeRecords()
    {
        Open(Noon).Publish([At(0, 10)], Noon);
        File.AppendAllText(_dir.File("metrics.jsonl"), "{\"t\":1795");

        Open(Noon).Read(Cpu, null, Noon, Noon.AddMinutes(1), 60).ShouldHaveSingleItem().Values.Sum.ShouldBe(10);
    }

    [Fact]
    public void Compact_HighResolutionDataOlderThanThreeHours_IsRolledUpIntoMinutes()
    {
        var store = Open(Noon);
        for (var i = 0; i < 6; i++)
        {
            store.Publish([new MetricDatum(Cpu, "Percent", Noon.AddSeconds(10 * i), StatisticSet.Of(i), Resolution: 10)], Noon);
        }

        store.Read(Cpu, null, Noon, Noon.AddMinutes(1), 10).Select(p => p.Values.Sum).ShouldBe([0.0, 1, 2, 3, 4, 5], "10-second data within 3 hours");
        store.Read(Cpu, null, Noon, Noon.AddMinutes(1), 30).Select(p => p.Values.Sum).ShouldBe([3.0, 12]);

        store.Compact(Noon.AddHours(3).AddMinutes(1));
        var reopened = Open(Noon.AddHours(3).AddMinutes(1));

        foreach (var rolledUp in new[] { store, reopened })
        {
            var minute = rolledUp.Read(Cpu, null, Noon, Noon.AddMinutes(1), 10).ShouldHaveSingleItem();
            minute.Start.ShouldBe(Noon);
            (minute.Values.SampleCount, minute.Values.Sum, minute.Values.Minimum, minute.Values.Maximum).ShouldBe((6.0, 15.0, 0.0, 5.0));
        }
    }
}
