using Portal.Core.Costs;

namespace Portal.Core.Tests.Costs;

/// <summary>
/// The month of a busy cluster takes seconds to sum, and it only changes when a slot is claimed: the cache reads it
/// once per store version, reads again after a new slot (this replica's or another's), and never keeps a failed read.
/// </summary>
public class CostInputsCacheTests
{
    private static readonly DateTimeOffset From = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddMonths(2);

    [Fact]
    public async Task Load_SameVersion_ReadsTheStoreOnce()
    {
        var store = new CountingStore();
        store.Claim("east", From.AddHours(1), 1.5m);
        var cache = new CostInputsCache(store);

        var first = await cache.LoadAsync("east", From, To, CancellationToken.None);
        var second = await cache.LoadAsync("east", From, To, CancellationToken.None);

        store.TotalsReads.ShouldBe(1);
        second.ShouldBeSameAs(first);
        second.Totals.Sum(r => r.Total).ShouldBe(1.5m);
    }

    [Fact]
    public async Task Load_AfterANewSlot_ReadsAgainAndSeesIt()
    {
        var store = new CountingStore();
        store.Claim("east", From.AddHours(1), 1.5m);
        var cache = new CostInputsCache(store);
        await cache.LoadAsync("east", From, To, CancellationToken.None);

        store.Claim("east", From.AddHours(2), 0.25m);   // say, by another replica
        var after = await cache.LoadAsync("east", From, To, CancellationToken.None);

        store.TotalsReads.ShouldBe(2);
        after.Totals.Sum(r => r.Total).ShouldBe(1.75m);
        after.Slots.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Load_OtherClusterOrRange_IsItsOwnEntry()
    {
        var store = new CountingStore();
        store.Claim("east", From.AddHours(1), 1m);
        store.Claim("west", From.AddHours(1), 2m);
        var cache = new CostInputsCache(store);

        (await cache.LoadAsync("east", From, To, CancellationToken.None)).Totals.Sum(r => r.Total).ShouldBe(1m);
        (await cache.LoadAsync("west", From, To, CancellationToken.None)).Totals.Sum(r => r.Total).ShouldBe(2m);
        (await cache.LoadAsync("east", From.AddHours(2), To, CancellationToken.None)).Totals.ShouldBeEmpty();
        store.TotalsReads.ShouldBe(3);
    }

    [Fact]
    public async Task Load_AfterAFailedRead_TriesAgain()
    {
        var store = new CountingStore { FailNextRead = true };
        store.Claim("east", From.AddHours(1), 1m);
        var cache = new CostInputsCache(store);

        await Should.ThrowAsync<InvalidOperationException>(() => cache.LoadAsync("east", From, To, CancellationToken.None));
        var retried = await cache.LoadAsync("east", From, To, CancellationToken.None);

        retried.Totals.Sum(r => r.Total).ShouldBe(1m);
        store.TotalsReads.ShouldBe(2);
    }

    /// <summary>Slots and one record per slot, in memory; counts the expensive reads.</summary>
    private sealed class CountingStore : ICostStore
    {
        private readonly List<(CostSlot Slot, CostRecord Record)> _samples = [];

        public int TotalsReads { get; private set; }

        public bool FailNextRead { get; set; }

        public void Claim(string cluster, DateTimeOffset slotStart, decimal cost) => _samples.Add((
            new CostSlot(cluster, slotStart, TimeSpan.FromMinutes(5), UsageSource.MetricsApi, slotStart.AddMinutes(5)),
            new CostRecord { Hour = slotStart, Cluster = cluster, Subject = CostSubject.Pod, Namespace = "dev", Name = "web", CpuCost = cost }));

        public Task<bool> RecordSampleAsync(CostSlot slot, IReadOnlyList<CostRecord> records, CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<CostRecord>> RecordsAsync(CostQuery query, CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<CostRecord>> TotalsAsync(CostQuery query, CancellationToken ct)
        {
            TotalsReads++;
            if (FailNextRead)
            {
                FailNextRead = false;
                throw new InvalidOperationException("the database is away");
            }

            return Task.FromResult<IReadOnlyList<CostRecord>>([.. _samples
                .Where(s => s.Slot.Cluster == query.Cluster && s.Record.Hour >= query.From && s.Record.Hour < query.To).Select(s => s.Record)]);
        }

        public Task<IReadOnlyList<CostSlot>> SlotsAsync(DateTimeOffset from, DateTimeOffset to, string? cluster, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<CostSlot>>([.. _samples.Where(s => s.Slot.Cluster == cluster && s.Slot.Start >= from && s.Slot.Start < to).Select(s => s.Slot)]);

        public Task<CostStoreVersion> VersionAsync(string cluster, CancellationToken ct)
        {
            var slots = _samples.Where(s => s.Slot.Cluster == cluster).Select(s => s.Slot).ToList();
            return Task.FromResult(new CostStoreVersion(slots.Count, slots.Count == 0 ? null : slots.Max(s => s.SampledAt)));
        }
    }
}
