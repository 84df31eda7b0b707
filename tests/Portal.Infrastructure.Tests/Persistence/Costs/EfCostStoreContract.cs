using Microsoft.EntityFrameworkCore;
using Portal.Core.Alarms;
using Portal.Core.Costs;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Persistence.Stores;

namespace Portal.Infrastructure.Tests.Persistence.Costs;

/// <summary>The cost store on a real migrated database of each provider.</summary>
public abstract class EfCostStoreContract
{
    private static readonly DateTimeOffset Ten = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15);

    private protected abstract Task<TestDatabase> NewDatabaseAsync();

    [Fact]
    public async Task RecordSampleAsync_NewSlot_RoundTripsEveryFieldOfRecordsAndSlot()
    {
        var (_, store) = await MigratedStoreAsync();
        var sampledAt = Ten.AddMinutes(15).AddTicks(1_234_560);
        var pod = new CostRecord
        {
            Hour = Ten, Cluster = "eu-1", Subject = CostSubject.Pod, Namespace = "shop", Name = "web-7d9f-abcde", Service = "web", Detail = "node-a",
            Hours = 0.25, CpuRequestCoreHours = 0.125, CpuUsageCoreHours = 0.0625, CpuAllocatedCoreHours = 0.125,
            MemoryRequestGiBHours = 0.5, MemoryUsageGiBHours = 0.75, MemoryAllocatedGiBHours = 0.75, Quantity = 0,
            CpuPrice = 0.031611m, MemoryPrice = 0.004237m, UnitPrice = 0m,
            CpuCost = 0.003951375m, MemoryCost = 0.00317775m, OtherCost = 0m,
        };

        // Usage unknown, no service: the nulls are kept, and a node's fields fill the rest.
        var node = new CostRecord
        {
            Hour = Ten, Cluster = "eu-1", Subject = CostSubject.Node, Namespace = "", Name = "node-a", Detail = "m5.xlarge",
            Hours = 0.25, CpuRequestCoreHours = 1, CpuAllocatedCoreHours = 1, MemoryRequestGiBHours = 4, MemoryAllocatedGiBHours = 4,
            Quantity = 0.25, CpuPrice = 0.0314m, MemoryPrice = 0.0042m, UnitPrice = 0.214m, OtherCost = 0.0535m,
        };
        var slot = new CostSlot("eu-1", Ten.AddMinutes(15), Quarter, UsageSource.MetricsApi, sampledAt);

        (await store.RecordSampleAsync(slot, [pod, node], CancellationToken.None)).ShouldBeTrue();

        var records = await store.RecordsAsync(new CostQuery(Ten, Ten.AddHours(1)), CancellationToken.None);
        records.ShouldBe([node, pod]);
        records.ShouldAllBe(r => r.Hour.Offset == TimeSpan.Zero);
        (await store.SlotsAsync(Ten, Ten.AddHours(1), null, CancellationToken.None)).ShouldBe([slot]);
    }

    [Fact]
    public async Task RecordSampleAsync_TwoSlotsOfOneHour_AddUpExactly_PricesServiceAndDetailFromTheNewestSlot()
    {
        var (_, store) = await MigratedStoreAsync();
        var later = Pod("shop", "web-1", "web", cpuCost: 0.2m) with
        {
            CpuUsageCoreHours = 0.5, MemoryUsageGiBHours = null, Detail = "node-b", CpuPrice = 0.05m, MemoryPrice = 0.006m, UnitPrice = 0.3m,
            Quantity = 0.5, MemoryCost = 0.02m, OtherCost = 0.7m,
        };
        var earlier = Pod("shop", "web-1", "web-old", cpuCost: 0.1m) with
        {
            CpuUsageCoreHours = null, MemoryUsageGiBHours = null, Detail = "node-a", CpuPrice = 0.04m, MemoryPrice = 0.005m, UnitPrice = 0.2m,
            Quantity = 0.25, MemoryCost = 0.01m, OtherCost = 0.000000000001m,
        };

        // The later slot is recorded first (a replica that stalled recorded the earlier one afterwards).
        (await store.RecordSampleAsync(Slot("eu-1", Ten.AddMinutes(15)), [later], CancellationToken.None)).ShouldBeTrue();
        (await store.RecordSampleAsync(Slot("eu-1", Ten), [earlier], CancellationToken.None)).ShouldBeTrue();

        var row = (await store.RecordsAsync(new CostQuery(Ten, Ten.AddHours(1)), CancellationToken.None)).ShouldHaveSingleItem();
        row.CpuCost.ShouldBe(0.3m, "0.1 + 0.2 is 0.3 exactly, not 0.30000000000000004");
        row.CpuCost.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("0.3");
        row.MemoryCost.ShouldBe(0.03m);
        row.OtherCost.ShouldBe(0.700000000001m);
        row.Total.ShouldBe(1.030000000001m);
        (row.Hours, row.Quantity, row.CpuRequestCoreHours, row.CpuAllocatedCoreHours).ShouldBe((0.5, 0.75, 0.25, 0.25));
        row.CpuUsageCoreHours.ShouldBe(0.5, "an unknown usage adds nothing to a known one");
        row.MemoryUsageGiBHours.ShouldBeNull("unknown in every sample stays unknown, not zero");
        (row.Service, row.Detail, row.CpuPrice, row.MemoryPrice, row.UnitPrice).ShouldBe(("web", "node-b", 0.05m, 0.006m, 0.3m));
    }

    [Fact]
    public async Task RecordSampleAsync_AmountsKeepTwelveDecimals_AndRefuseWhatARowCannotHold()
    {
        var (_, store) = await MigratedStoreAsync();
        (await store.RecordSampleAsync(Slot("eu-1", Ten), [Pod("shop", "a", null, cpuCost: 1m / 3m)], CancellationToken.None)).ShouldBeTrue();
        (await store.RecordSampleAsync(Slot("eu-1", Ten.AddMinutes(15)), [Pod("shop", "a", null, cpuCost: 0.0000000000005m)], CancellationToken.None)).ShouldBeTrue();

        (await store.RecordsAsync(new CostQuery(Ten, Ten.AddHours(1)), CancellationToken.None)).ShouldHaveSingleItem()
            .CpuCost.ShouldBe(0.333333333334m, "each amount is rounded to 10^-12, half away from zero: 0.333333333333 + 0.000000000001");

        await Should.ThrowAsync<ArgumentOutOfRangeException>(() =>
            store.RecordSampleAsync(Slot("eu-1", Ten.AddMinutes(30)), [Pod("shop", "a", null, cpuCost: 10_000_000m)], CancellationToken.None));
        (await store.SlotsAsync(Ten, Ten.AddHours(1), "eu-1", CancellationToken.None)).Count.ShouldBe(2, "the refused sample claimed no slot");
    }

    [Fact]
    public async Task RecordSampleAsync_SameSlotTwice_FalseAndNothingDoubled()
    {
        var (_, store) = await MigratedStoreAsync();
        var slot = Slot("eu-1", Ten);
        (await store.RecordSampleAsync(slot, [Pod("shop", "web-1", "web", cpuCost: 0.1m)], CancellationToken.None)).ShouldBeTrue();

        (await store.RecordSampleAsync(slot with { SampledAt = Ten.AddMinutes(1) }, [Pod("shop", "web-1", "web", cpuCost: 0.1m), Pod("shop", "web-2", "web", cpuCost: 5m)],
            CancellationToken.None)).ShouldBeFalse();

        (await store.RecordsAsync(new CostQuery(Ten, Ten.AddHours(1)), CancellationToken.None)).ShouldHaveSingleItem().CpuCost.ShouldBe(0.1m);
        (await store.SlotsAsync(Ten, Ten.AddHours(1), null, CancellationToken.None)).ShouldHaveSingleItem().SampledAt.ShouldBe(slot.SampledAt);
    }

    [Fact]
    public async Task RecordSampleAsync_FourReplicasSampleOneSlotAtOnce_ExactlyOneRecordsIt()
    {
        var (_, store) = await MigratedStoreAsync();
        var records = new[] { Pod("shop", "web-1", "web", cpuCost: 0.1m), Pod("shop", "web-2", "web", cpuCost: 0.2m) };

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => store.RecordSampleAsync(Slot("eu-1", Ten), records, CancellationToken.None))));

        results.Count(r => r).ShouldBe(1);
        var totals = await store.TotalsAsync(new CostQuery(Ten, Ten.AddHours(1)), CancellationToken.None);
        totals.ShouldHaveSingleItem().CpuCost.ShouldBe(0.3m);
        (await store.SlotsAsync(Ten, Ten.AddHours(1), null, CancellationToken.None)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task RecordSampleAsync_RecordOutsideTheSlotsClusterOrHour_ThrowsAndWritesNothing()
    {
        var (_, store) = await MigratedStoreAsync();

        await Should.ThrowAsync<ArgumentException>(() =>
            store.RecordSampleAsync(Slot("eu-1", Ten), [Pod("shop", "a", null, 0.1m) with { Hour = Ten.AddHours(1) }], CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() =>
            store.RecordSampleAsync(Slot("eu-1", Ten), [Pod("shop", "a", null, 0.1m) with { Cluster = "us-1" }], CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() =>
            store.RecordSampleAsync(Slot("eu-1", Ten) with { Length = TimeSpan.FromMinutes(90) }, [], CancellationToken.None));

        (await store.SlotsAsync(Ten, Ten.AddHours(2), null, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task TotalsAsync_SumsPerHourClusterSubjectNamespaceAndService_InKeyOrder()
    {
        var store = await StoreWithFixtureAsync();

        var totals = await store.TotalsAsync(new CostQuery(Ten, Ten.AddHours(2)), CancellationToken.None);

        totals.Select(Key).ShouldBe(
        [
            (Ten, "eu-1", CostSubject.Node, "", null, 0.5m),
            (Ten, "eu-1", CostSubject.Pod, "other", "api", 0.3m),
            (Ten, "eu-1", CostSubject.Pod, "shop", null, 0.05m),
            (Ten, "eu-1", CostSubject.Pod, "shop", "web", 0.33m),
            (Ten, "eu-2", CostSubject.Pod, "shop", "web", 1m),
            (Ten.AddHours(1), "eu-1", CostSubject.Pod, "shop", "web", 0.4m),
        ]);

        // web-1 in two slots plus web-2 in one: quantities summed too; name and detail left empty.
        var web = totals[3];
        (web.Hours, web.CpuRequestCoreHours, web.CpuUsageCoreHours, web.MemoryCost, web.Name, web.Detail).ShouldBe((0.75, 0.375, (double?)0.375, 0.03m, "", (string?)null));
        web.CpuPrice.ShouldBe(0.04m);
        totals[2].CpuUsageCoreHours.ShouldBeNull("no sample of the job knew its usage");
    }

    [Fact]
    public async Task TotalsAsync_FiltersByRangeClusterNamespacesServiceAndSubjects()
    {
        var store = await StoreWithFixtureAsync();
        async Task<IEnumerable<(string Cluster, CostSubject Subject, string Namespace, string? Service, decimal Total)>> Totals(CostQuery query) =>
            (await store.TotalsAsync(query, CancellationToken.None)).Select(t => (t.Cluster, t.Subject, t.Namespace, t.Service, t.Total));
        var all = new CostQuery(Ten, Ten.AddHours(2));

        (await Totals(all with { Cluster = "eu-2" })).ShouldBe([("eu-2", CostSubject.Pod, "shop", "web", 1m)]);
        (await Totals(all with { Namespaces = ["nowhere", "shop"], Cluster = "eu-1" })).ShouldBe(
            [("eu-1", CostSubject.Pod, "shop", null, 0.05m), ("eu-1", CostSubject.Pod, "shop", "web", 0.33m), ("eu-1", CostSubject.Pod, "shop", "web", 0.4m)]);
        (await Totals(all with { Service = "api" })).ShouldBe([("eu-1", CostSubject.Pod, "other", "api", 0.3m)]);
        (await Totals(all with { Subjects = [CostSubject.Volume, CostSubject.Node] })).ShouldBe([("eu-1", CostSubject.Node, "", null, 0.5m)]);
        (await Totals(all with { Namespaces = [] })).ShouldBeEmpty("no namespace allowed is none, not all");
        (await Totals(all with { Subjects = [] })).ShouldBeEmpty();
        (await Totals(new CostQuery(Ten.AddHours(1), Ten.AddHours(2)))).ShouldBe([("eu-1", CostSubject.Pod, "shop", "web", 0.4m)]);
        (await Totals(new CostQuery(Ten, Ten.AddHours(1)))).Count().ShouldBe(5, "the range's end is excluded");
    }

    [Fact]
    public async Task RecordsAsync_TheRowsThemselves_NewestHourFirst_Filtered()
    {
        var store = await StoreWithFixtureAsync();

        var records = await store.RecordsAsync(new CostQuery(Ten, Ten.AddHours(2)) { Namespaces = ["shop"], Service = "web" }, CancellationToken.None);

        records.Select(r => (r.Hour, r.Cluster, r.Name, r.Total)).ShouldBe(
        [
            (Ten.AddHours(1), "eu-1", "web-1", 0.4m),
            (Ten, "eu-1", "web-1", 0.22m),
            (Ten, "eu-1", "web-2", 0.11m),
            (Ten, "eu-2", "web-1", 1m),
        ]);
        (await store.RecordsAsync(new CostQuery(Ten, Ten.AddHours(2)) { Subjects = [CostSubject.Node] }, CancellationToken.None))
            .ShouldHaveSingleItem().Detail.ShouldBe("m5.large");
    }

    [Fact]
    public async Task SlotsAsync_SlotsStartingInTheRange_OfOneClusterOrAll_OldestFirst()
    {
        var store = await StoreWithFixtureAsync();

        (await store.SlotsAsync(Ten, Ten.AddHours(2), null, CancellationToken.None)).Select(s => (s.Cluster, s.Start)).ShouldBe(
            [("eu-1", Ten), ("eu-2", Ten), ("eu-1", Ten.AddMinutes(15)), ("eu-1", Ten.AddHours(1))]);
        (await store.SlotsAsync(Ten.AddMinutes(15), Ten.AddHours(1), "eu-1", CancellationToken.None)).ShouldHaveSingleItem().Start.ShouldBe(Ten.AddMinutes(15));
        var slot = (await store.SlotsAsync(Ten, Ten.AddMinutes(1), "eu-2", CancellationToken.None)).ShouldHaveSingleItem();
        (slot.Length, slot.Usage).ShouldBe((Quarter, UsageSource.RequestsOnly));
    }

    [Fact]
    public async Task VersionAsync_CountsTheClustersSlots_AndTheNewestSampling_SoACacheSeesEveryNewSlot()
    {
        var (_, store) = await MigratedStoreAsync();
        (await store.VersionAsync("eu-1", CancellationToken.None)).ShouldBe(new CostStoreVersion(0, null));

        await store.RecordSampleAsync(Slot("eu-1", Ten.AddMinutes(15)), [Pod("shop", "a", null, 0.1m)], CancellationToken.None);
        await store.RecordSampleAsync(Slot("eu-1", Ten), [Pod("shop", "a", null, 0.1m)], CancellationToken.None);   // late, for an older slot
        await store.RecordSampleAsync(Slot("eu-2", Ten.AddHours(1)), [], CancellationToken.None);

        (await store.VersionAsync("eu-1", CancellationToken.None)).ShouldBe(new CostStoreVersion(2, Ten.AddMinutes(30).AddSeconds(2)));
        (await store.VersionAsync("eu-2", CancellationToken.None)).Slots.ShouldBe(1);
    }

    [Fact]
    public async Task Migration8_OnADatabaseAt7_KeepsItsDataAndStoresCosts()
    {
        var db = await NewDatabaseAsync();
        var scripts = SchemaScript.Load(db.Database.Provider);
        await db.Migrator([.. scripts.Where(s => s.Version <= 7)]).MigrateAsync(CancellationToken.None);
        await using (var work = db.Units.Begin())
        {
            work.AlarmTriage.Save(AlarmTriage.None("prod-api-cpu") with { Assignee = "ann" }, 0);
            await work.CommitAsync(CancellationToken.None);
        }

        (await db.Migrator().MigrateAsync(CancellationToken.None)).Select(s => s.Version).ShouldBe([8]);

        var store = new EfCostStore(db.Contexts);
        (await store.RecordSampleAsync(Slot("eu-1", Ten), [Pod("shop", "a", null, 0.1m)], CancellationToken.None)).ShouldBeTrue();
        (await store.TotalsAsync(new CostQuery(Ten, Ten.AddHours(1)), CancellationToken.None)).ShouldHaveSingleItem().CpuCost.ShouldBe(0.1m);
        await using var read = db.Units.Begin();
        (await read.AlarmTriage.FindAsync("prod-api-cpu", CancellationToken.None)).ShouldNotBeNull().Assignee.ShouldBe("ann");
        (await read.Budgets.TeamBudgetsAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    private async Task<(TestDatabase Db, EfCostStore Store)> MigratedStoreAsync()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        return (db, new EfCostStore(db.Contexts));
    }

    /// <summary>
    /// eu-1 at 10:00 (two 15-minute slots): web-1 in both, web-2, a job without a service, api in another namespace, a
    /// node; eu-1 at 11:00: web-1; eu-2 at 10:00: web-1.
    /// </summary>
    private async Task<EfCostStore> StoreWithFixtureAsync()
    {
        var (_, store) = await MigratedStoreAsync();
        var node = new CostRecord
        {
            Hour = Ten, Cluster = "eu-1", Subject = CostSubject.Node, Namespace = "", Name = "node-a", Detail = "m5.large", Hours = 0.25, OtherCost = 0.5m,
        };
        var job = Pod("shop", "job-1", null, 0.05m) with { CpuUsageCoreHours = null, MemoryCost = 0m };
        await Record(store, Slot("eu-1", Ten), Pod("shop", "web-1", "web", 0.1m), Pod("shop", "web-2", "web", 0.1m), job, Pod("other", "api-1", "api", 0.3m) with { MemoryCost = 0m }, node);
        await Record(store, Slot("eu-1", Ten.AddMinutes(15)), Pod("shop", "web-1", "web", 0.1m));
        await Record(store, Slot("eu-1", Ten.AddHours(1)), Pod("shop", "web-1", "web", 0.4m) with { Hour = Ten.AddHours(1), MemoryCost = 0m });
        await Record(store, Slot("eu-2", Ten) with { Usage = UsageSource.RequestsOnly }, Pod("shop", "web-1", "web", 1m) with { Cluster = "eu-2", MemoryCost = 0m });
        return store;
    }

    private static async Task Record(EfCostStore store, CostSlot slot, params CostRecord[] records) =>
        (await store.RecordSampleAsync(slot, records, CancellationToken.None)).ShouldBeTrue();

    private static CostSlot Slot(string cluster, DateTimeOffset start) => new(cluster, start, Quarter, UsageSource.MetricsApi, start.AddMinutes(15).AddSeconds(2));

    /// <summary>A quarter hour of a pod requesting half a core; memory costs a tenth of the CPU.</summary>
    private static CostRecord Pod(string ns, string name, string? service, decimal cpuCost) => new()
    {
        Hour = Ten, Cluster = "eu-1", Subject = CostSubject.Pod, Namespace = ns, Name = name, Service = service, Detail = "node-a",
        Hours = 0.25, CpuRequestCoreHours = 0.125, CpuUsageCoreHours = 0.125, CpuAllocatedCoreHours = 0.125,
        MemoryRequestGiBHours = 0.5, MemoryUsageGiBHours = 0.25, MemoryAllocatedGiBHours = 0.5,
        CpuPrice = 0.04m, MemoryPrice = 0.005m, CpuCost = cpuCost, MemoryCost = cpuCost / 10,
    };

    private static (DateTimeOffset, string, CostSubject, string, string?, decimal) Key(CostRecord r) =>
        (r.Hour, r.Cluster, r.Subject, r.Namespace, r.Service, r.Total);
}

public sealed class SqliteEfCostStoreTests : EfCostStoreContract, IDisposable
{
    private readonly Portal.Testing.TempDirectory _directory = new();

    private protected override Task<TestDatabase> NewDatabaseAsync() =>
        Task.FromResult(new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={_directory.File($"{Guid.NewGuid():N}.db")};Pooling=False"));

    public void Dispose() => _directory.Dispose();
}

public sealed class PostgreSqlEfCostStoreTests : EfCostStoreContract
{
    private protected override async Task<TestDatabase> NewDatabaseAsync() =>
        new(DatabaseProvider.PostgreSql, await Portal.Testing.TestPostgres.CreateDatabaseAsync());
}
