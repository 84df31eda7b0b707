namespace Portal.Core.Costs;

/// <summary>One amount of cost attributed to a key (null: to no key) in one hour, by resource.</summary>
internal readonly record struct CostLine(DateTimeOffset Hour, string? Key, CostResource Resource, decimal Amount);

/// <summary>
/// The one place records become attributed cost, so rows, unattributed cost, days and months always add up the same
/// way. Per cluster-hour (OpenCost computes idle per cluster): idle = node cost − pods' allocated CPU and memory cost,
/// floored at 0. Shared, each key's part is idle × its pods' allocated cost / all pods' allocated cost; the part of pods
/// without a key, and idle of a cluster-hour without any allocated pod cost to share it by, stay unattributed. Not
/// shared, all idle is unattributed. Nodes themselves are never attributed: their cost is the pods' plus idle.
/// </summary>
internal static class CostAttribution
{
    public static decimal Idle(decimal nodeCost, decimal allocatedCost) => Math.Max(0m, nodeCost - allocatedCost);

    /// <summary>Multiplied before divided, so 0.6 × 0.3 / 0.4 is 0.45 exactly.</summary>
    public static decimal Share(decimal idle, decimal part, decimal allocatedCost) =>
        allocatedCost == 0 ? 0m : idle * part / allocatedCost;

    public static decimal Allocated(CostRecord record) =>
        record.Subject == CostSubject.Pod ? record.CpuCost + record.MemoryCost : 0m;

    public static IEnumerable<CostLine> Lines(IEnumerable<CostRecord> records, Func<CostRecord, string?> keyOf, bool shareIdle)
    {
        foreach (var clusterHour in records.GroupBy(r => (r.Hour, r.Cluster)))
        {
            var hour = clusterHour.Key.Hour;
            var nodeCost = 0m;
            var allocated = 0m;
            var unkeyedAllocated = 0m;
            var allocatedByKey = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var record in clusterHour)
            {
                if (record.Subject == CostSubject.Node)
                {
                    nodeCost += record.Total;
                    continue;
                }

                var key = keyOf(record);
                foreach (var (resource, amount) in Parts(record))
                {
                    yield return new CostLine(hour, key, resource, amount);
                }

                var own = Allocated(record);
                allocated += own;
                if (key is null)
                {
                    unkeyedAllocated += own;
                }
                else if (record.Subject == CostSubject.Pod)
                {
                    allocatedByKey[key] = allocatedByKey.GetValueOrDefault(key) + own;
                }
            }

            var idle = Idle(nodeCost, allocated);
            if (idle == 0)
            {
                continue;
            }

            if (!shareIdle || allocated == 0)
            {
                yield return new CostLine(hour, null, CostResource.Idle, idle);
                continue;
            }

            foreach (var (key, part) in allocatedByKey)
            {
                yield return new CostLine(hour, key, CostResource.Idle, Share(idle, part, allocated));
            }

            if (unkeyedAllocated != 0)
            {
                yield return new CostLine(hour, null, CostResource.Idle, Share(idle, unkeyedAllocated, allocated));
            }
        }
    }

    /// <summary>A record's cost by resource: a pod's CPU and memory, a volume's storage, network, shared services.</summary>
    private static IEnumerable<(CostResource Resource, decimal Amount)> Parts(CostRecord record)
    {
        switch (record.Subject)
        {
            case CostSubject.Pod:
                yield return (CostResource.Cpu, record.CpuCost);
                yield return (CostResource.Memory, record.MemoryCost);
                break;
            case CostSubject.Volume:
                yield return (CostResource.Storage, record.Total);
                break;
            case CostSubject.LoadBalancer or CostSubject.Ingress:
                yield return (CostResource.Network, record.Total);
                break;
            case CostSubject.Shared:
                yield return (CostResource.Shared, record.Total);
                break;
            default:
                break;
        }
    }
}
