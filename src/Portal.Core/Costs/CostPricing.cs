namespace Portal.Core.Costs;

/// <summary>
/// Node prices and their split into unit prices, as OpenCost does when a provider quotes only a node's total: the
/// configured CPU-to-memory ratio fixes the relation of the two unit prices (cpu = ratio × memory), and both are scaled
/// so that cores × cpu + GiB × memory is the node's hourly price again. Pods are then priced per core-hour and GiB-hour
/// on the node they run on, and what no pod was allocated is the node's idle cost.
/// </summary>
public static class CostPricing
{
    /// <summary>The node type's hourly price; the cluster's default when the type is unknown or the node has no label.</summary>
    public static decimal NodeHourly(ClusterPrices prices, string? instanceType)
    {
        ArgumentNullException.ThrowIfNull(prices);
        return instanceType is not null && prices.NodeTypes.TryGetValue(instanceType, out var hourly) ? hourly : prices.DefaultNodeHourly;
    }

    /// <summary>
    /// memory = nodeHourly / (cores × ratio + GiB), cpu = ratio × memory. A node that reports no capacity at all has no
    /// unit prices (0, 0): its whole price stays idle rather than dividing by zero.
    /// </summary>
    public static (decimal CpuPerCoreHour, decimal MemoryPerGiBHour) Split(decimal nodeHourly, double cpuCores, double memoryGiB, decimal cpuToMemoryRatio)
    {
        var weight = ((decimal)Math.Max(cpuCores, 0) * cpuToMemoryRatio) + (decimal)Math.Max(memoryGiB, 0);
        if (weight <= 0)
        {
            return (0m, 0m);
        }

        var memory = nodeHourly / weight;
        return (cpuToMemoryRatio * memory, memory);
    }
}
