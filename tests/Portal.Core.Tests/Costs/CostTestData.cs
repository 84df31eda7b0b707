using Portal.Core.Costs;

namespace Portal.Core.Tests.Costs;

/// <summary>Records and slots as the store's totals hold them, with round costs so figures can be checked by hand.</summary>
internal static class CostTestData
{
    public static readonly DateTimeOffset Hour10 = new(2026, 11, 3, 10, 0, 0, TimeSpan.Zero);

    public static CostRecord Node(DateTimeOffset hour, decimal cost, string cluster = "c1") => new()
    {
        Hour = hour, Cluster = cluster, Subject = CostSubject.Node, Namespace = "", Name = "", Hours = 1, OtherCost = cost,
    };

    public static CostRecord Pod(DateTimeOffset hour, string ns, decimal cpu, decimal memory, string? service = null, string cluster = "c1") => new()
    {
        Hour = hour, Cluster = cluster, Subject = CostSubject.Pod, Namespace = ns, Name = "", Service = service, Hours = 1,
        CpuCost = cpu, MemoryCost = memory,
    };

    public static CostRecord Other(DateTimeOffset hour, CostSubject subject, string ns, decimal cost, string? service = null, string cluster = "c1") => new()
    {
        Hour = hour, Cluster = cluster, Subject = subject, Namespace = ns, Name = "", Service = service, Hours = 1, OtherCost = cost,
    };

    public static CostSlot Slot(DateTimeOffset start, double minutes = 60, string cluster = "c1") =>
        new(cluster, start, TimeSpan.FromMinutes(minutes), UsageSource.MetricsApi, start);

    /// <summary>Hourly slots from <paramref name="from"/> for <paramref name="hours"/> hours.</summary>
    public static IEnumerable<CostSlot> HourlySlots(DateTimeOffset from, int hours, string cluster = "c1") =>
        Enumerable.Range(0, hours).Select(h => Slot(from.AddHours(h), 60, cluster));

    /// <summary>The namespace is the key; kube-system belongs to no environment.</summary>
    public static string? ByNamespace(CostRecord record) => record.Namespace is "" or "kube-system" ? null : record.Namespace;
}
