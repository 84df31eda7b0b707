namespace Portal.Core.Costs;

/// <summary>
/// Turns one snapshot into the records of its slot, priced as OpenCost prices allocations: a pod is charged
/// max(request, usage) of CPU and memory at its node's unit prices (<see cref="CostPricing.Split"/>), a node its whole
/// price (the basis of idle), a volume its GiB-month price over 730 hours, a load balancer or ingress its hourly price,
/// and each environment its monthly share of shared services spread over the real hours of the month. The store adds
/// the records of a slot into their hour, so a pod that lived part of an hour simply appears in fewer slots.
/// </summary>
public static class CostSampler
{
    /// <summary>OpenCost's month for storage prices (365 × 24 / 12).</summary>
    public const decimal HoursPerStorageMonth = 730m;

    /// <summary>The node shape a pod on an unknown node is priced over when the snapshot has no node at all.</summary>
    private const double FallbackCores = 1;

    private const double FallbackGiB = 4;

    /// <summary>
    /// The records of the slot [slotStart, slotStart + slotLength), all in the hour holding slotStart. Without the
    /// metrics API (<see cref="UsageSource.RequestsOnly"/>) any usage figure is ignored, so cost is requests only.
    /// </summary>
    public static IReadOnlyList<CostRecord> Sample(ClusterCostSnapshot snapshot, ClusterPrices prices, DateTimeOffset slotStart,
        TimeSpan slotLength, IReadOnlyCollection<string> environmentNamespaces)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(environmentNamespaces);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(slotLength, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slotLength, TimeSpan.FromHours(1));

        var slot = new Slot(snapshot.Cluster, CostTime.HourOf(slotStart), slotLength.TotalHours, CostTime.Hours(slotLength));
        var records = new List<CostRecord>();
        var nodePrices = new Dictionary<string, (decimal Cpu, decimal Memory)>(StringComparer.Ordinal);
        foreach (var node in snapshot.Nodes)
        {
            var hourly = CostPricing.NodeHourly(prices, node.InstanceType);
            var split = CostPricing.Split(hourly, node.CpuCores, node.MemoryGiB, prices.CpuToMemoryPriceRatio);
            nodePrices[node.Name] = split;
            records.Add(NodeRecord(slot, node, hourly, split));
        }

        var unknownNode = UnknownNodePrices(snapshot.Nodes, prices);
        var usageKnown = snapshot.Usage == UsageSource.MetricsApi;
        foreach (var pod in snapshot.Pods)
        {
            var (cpu, memory) = nodePrices.TryGetValue(pod.Node, out var own) ? own : unknownNode;
            records.Add(PodRecord(slot, pod, usageKnown, cpu, memory));
        }

        var storagePerGiBHour = prices.StorageGiBMonth / HoursPerStorageMonth;
        foreach (var volume in snapshot.Volumes)
        {
            records.Add(slot.Record(CostSubject.Volume, volume.Namespace, volume.Name) with
            {
                Quantity = volume.GiB * slot.Hours,
                UnitPrice = storagePerGiBHour,
                OtherCost = (decimal)volume.GiB * slot.ExactHours * storagePerGiBHour,
            });
        }

        foreach (var network in snapshot.Network)
        {
            var (subject, hourly) = network.Kind == NetworkKind.LoadBalancer
                ? (CostSubject.LoadBalancer, prices.LoadBalancerHourly)
                : (CostSubject.Ingress, prices.IngressHourly);
            records.Add(slot.Record(subject, network.Namespace, network.Name) with
            {
                Service = network.Service,
                Quantity = slot.Hours,
                UnitPrice = hourly,
                OtherCost = slot.ExactHours * hourly,
            });
        }

        if (prices.SharedMonthlyPerEnvironment != 0)
        {
            var hourly = prices.SharedMonthlyPerEnvironment / CostTime.HoursInMonth(slot.Hour);
            foreach (var ns in environmentNamespaces.Distinct(StringComparer.Ordinal))
            {
                records.Add(slot.Record(CostSubject.Shared, ns, ns) with
                {
                    Quantity = slot.Hours,
                    UnitPrice = hourly,
                    OtherCost = slot.ExactHours * hourly,
                });
            }
        }

        return records;
    }

    private static CostRecord NodeRecord(Slot slot, NodeSnapshot node, decimal hourly, (decimal Cpu, decimal Memory) split) =>
        slot.Record(CostSubject.Node, "", node.Name) with
        {
            Detail = node.InstanceType,
            CpuRequestCoreHours = node.CpuCores * slot.Hours,
            CpuAllocatedCoreHours = node.CpuCores * slot.Hours,
            MemoryRequestGiBHours = node.MemoryGiB * slot.Hours,
            MemoryAllocatedGiBHours = node.MemoryGiB * slot.Hours,
            Quantity = slot.Hours,
            CpuPrice = split.Cpu,
            MemoryPrice = split.Memory,
            UnitPrice = hourly,
            OtherCost = slot.ExactHours * hourly,
        };

    private static CostRecord PodRecord(Slot slot, PodSnapshot pod, bool usageKnown, decimal cpuPrice, decimal memoryPrice)
    {
        var cpuUsage = usageKnown ? pod.CpuUsageCores : null;
        var memoryUsage = usageKnown ? pod.MemoryUsageGiB : null;
        var cpu = Math.Max(pod.CpuRequestCores, cpuUsage ?? pod.CpuRequestCores);
        var memory = Math.Max(pod.MemoryRequestGiB, memoryUsage ?? pod.MemoryRequestGiB);
        return slot.Record(CostSubject.Pod, pod.Namespace, pod.Name) with
        {
            Service = pod.Service,
            Detail = pod.Node,
            CpuRequestCoreHours = pod.CpuRequestCores * slot.Hours,
            CpuUsageCoreHours = cpuUsage * slot.Hours,
            CpuAllocatedCoreHours = cpu * slot.Hours,
            MemoryRequestGiBHours = pod.MemoryRequestGiB * slot.Hours,
            MemoryUsageGiBHours = memoryUsage * slot.Hours,
            MemoryAllocatedGiBHours = memory * slot.Hours,
            CpuPrice = cpuPrice,
            MemoryPrice = memoryPrice,
            CpuCost = (decimal)cpu * slot.ExactHours * cpuPrice,
            MemoryCost = (decimal)memory * slot.ExactHours * memoryPrice,
        };
    }

    /// <summary>A pod whose node is not in the snapshot: the default node price over the average node, or over 1 core and 4 GiB.</summary>
    private static (decimal Cpu, decimal Memory) UnknownNodePrices(IReadOnlyList<NodeSnapshot> nodes, ClusterPrices prices)
    {
        var cores = nodes.Count > 0 ? nodes.Average(n => n.CpuCores) : FallbackCores;
        var gib = nodes.Count > 0 ? nodes.Average(n => n.MemoryGiB) : FallbackGiB;
        return CostPricing.Split(prices.DefaultNodeHourly, cores, gib, prices.CpuToMemoryPriceRatio);
    }

    /// <summary>The slot's hour and length: as a double for quantities, as an exact decimal for money.</summary>
    private sealed record Slot(string Cluster, DateTimeOffset Hour, double Hours, decimal ExactHours)
    {
        public CostRecord Record(CostSubject subject, string ns, string name) => new()
        {
            Hour = Hour,
            Cluster = Cluster,
            Subject = subject,
            Namespace = ns,
            Name = name,
            Hours = Hours,
        };
    }
}
