using System.Collections.Concurrent;

namespace Portal.Core.Costs;

/// <summary>
/// The hourly totals and slots of one cluster over a range, kept between reads. Records only change when a slot is
/// claimed, so an entry stays good while the cluster's <see cref="CostStoreVersion"/> is the one it was read under;
/// checking that is one index read against the seconds that summing a month of a busy cluster takes. Every replica
/// keeps its own entries and compares them with the shared store, so a slot another replica recorded is seen at once.
/// The sampling job reads the month after each slot, so people seldom wait for the sums.
/// </summary>
public sealed class CostInputsCache(ICostStore store)
{
    /// <summary>Ranges in use at once: the month (status, budgets, every cost page), the idle window, and a few chart ranges.</summary>
    private const int MaxEntries = 32;

    private readonly ConcurrentDictionary<(string Cluster, DateTimeOffset From, DateTimeOffset To), Entry> _entries = new();

    public async Task<CostInputs> LoadAsync(string cluster, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var version = await store.VersionAsync(cluster, ct);
        var key = (cluster, from, to);
        var entry = _entries.AddOrUpdate(
            key,
            _ => Read(cluster, from, to, version),
            (_, old) => old.Version == version && !old.Failed ? old : Read(cluster, from, to, version));
        if (_entries.Count > MaxEntries)
        {
            foreach (var stale in _entries.OrderBy(e => e.Value.ReadAt).Take(_entries.Count - MaxEntries).ToList())
            {
                _entries.TryRemove(stale);
            }
        }

        // Shared by the readers of one version: one caller giving up does not cancel the read for the others.
        return await entry.Inputs.Value.WaitAsync(ct);
    }

    /// <summary>Not started here: of two racing updates only the entry that is kept reads.</summary>
    private Entry Read(string cluster, DateTimeOffset from, DateTimeOffset to, CostStoreVersion version) =>
        new(version, Environment.TickCount64, new Lazy<Task<CostInputs>>(() => ReadAsync(cluster, from, to)));

    private async Task<CostInputs> ReadAsync(string cluster, DateTimeOffset from, DateTimeOffset to)
    {
        var totals = await store.TotalsAsync(new CostQuery(from, to) { Cluster = cluster }, CancellationToken.None);
        var slots = await store.SlotsAsync(from, to, cluster, CancellationToken.None);
        return new CostInputs(totals, slots);
    }

    private sealed record Entry(CostStoreVersion Version, long ReadAt, Lazy<Task<CostInputs>> Inputs)
    {
        /// <summary>A read that failed (the database was away) is tried again by the next reader, not kept.</summary>
        public bool Failed => Inputs.IsValueCreated && Inputs.Value is { IsFaulted: true } or { IsCanceled: true };
    }
}
