using Portal.Core.Costs;

namespace Portal.Core.Tests.Costs;

public class CostSamplerTests
{
    // t.small: 2 cores, 8 GiB at 0.32/h with ratio 4 → weight 2 × 4 + 8 = 16, memory 0.32 / 16 = 0.02, cpu 4 × 0.02 = 0.08.
    private static readonly ClusterPrices Prices = new()
    {
        NodeTypes = new Dictionary<string, decimal>(StringComparer.Ordinal) { ["t.small"] = 0.32m },
        DefaultNodeHourly = 0.24m,
        CpuToMemoryPriceRatio = 4m,
        StorageGiBMonth = 0.073m,
        LoadBalancerHourly = 0.0252m,
        IngressHourly = 0.01m,
    };

    private static readonly NodeSnapshot Small = new("node-a", "t.small", 2, 8);

    private static readonly DateTimeOffset Ten = new(2026, 11, 3, 10, 0, 0, TimeSpan.Zero);

    private static ClusterCostSnapshot Snapshot(IReadOnlyList<PodSnapshot>? pods = null, IReadOnlyList<NodeSnapshot>? nodes = null,
        IReadOnlyList<VolumeSnapshot>? volumes = null, IReadOnlyList<NetworkSnapshot>? network = null, UsageSource usage = UsageSource.MetricsApi) =>
        new("c1", Ten, usage, nodes ?? [Small], pods ?? [], volumes ?? [], network ?? []);

    private static PodSnapshot Pod(double cpuRequest, double memoryRequest, double? cpuUsage, double? memoryUsage, string node = "node-a") =>
        new("shop-dev", "orders-1", "orders", node, cpuRequest, memoryRequest, cpuUsage, memoryUsage);

    private static IReadOnlyList<CostRecord> Sample(ClusterCostSnapshot snapshot, double minutes = 60, ClusterPrices? prices = null, DateTimeOffset? start = null, IReadOnlyCollection<string>? environments = null) =>
        CostSampler.Sample(snapshot, prices ?? Prices, start ?? Ten, TimeSpan.FromMinutes(minutes), environments ?? []);

    private static CostRecord OnlyPod(IReadOnlyList<CostRecord> records) => records.Single(r => r.Subject == CostSubject.Pod);

    [Fact]
    public void Sample_RequestAboveUsage_ChargesTheRequest()
    {
        var pod = OnlyPod(Sample(Snapshot([Pod(0.5, 2, cpuUsage: 0.2, memoryUsage: 1)])));

        pod.CpuRequestCoreHours.ShouldBe(0.5);
        pod.CpuUsageCoreHours.ShouldBe(0.2);
        pod.CpuAllocatedCoreHours.ShouldBe(0.5);
        pod.MemoryAllocatedGiBHours.ShouldBe(2);
        pod.CpuPrice.ShouldBe(0.08m);
        pod.MemoryPrice.ShouldBe(0.02m);
        pod.CpuCost.ShouldBe(0.04m);    // 0.5 core × 1 h × 0.08
        pod.MemoryCost.ShouldBe(0.04m); // 2 GiB × 1 h × 0.02
        pod.Total.ShouldBe(0.08m);
        (pod.Namespace, pod.Name, pod.Service, pod.Detail, pod.Hour, pod.Cluster).ShouldBe(("shop-dev", "orders-1", "orders", "node-a", Ten, "c1"));
    }

    [Fact]
    public void Sample_UsageAboveRequest_ChargesTheUsage()
    {
        var pod = OnlyPod(Sample(Snapshot([Pod(0.25, 1, cpuUsage: 1.0, memoryUsage: 3)])));

        pod.CpuAllocatedCoreHours.ShouldBe(1.0);
        pod.MemoryAllocatedGiBHours.ShouldBe(3);
        pod.CpuCost.ShouldBe(0.08m);    // 1 core × 0.08
        pod.MemoryCost.ShouldBe(0.06m); // 3 GiB × 0.02
    }

    [Fact]
    public void Sample_CpuUsageAboveAndMemoryUsageBelowRequest_EachResourceItsOwnMaximum()
    {
        var pod = OnlyPod(Sample(Snapshot([Pod(0.5, 4, cpuUsage: 0.75, memoryUsage: 1)])));

        pod.CpuCost.ShouldBe(0.06m);    // usage 0.75 × 0.08
        pod.MemoryCost.ShouldBe(0.08m); // request 4 × 0.02
    }

    [Fact]
    public void Sample_NoUsageFigures_ChargesTheRequest()
    {
        var pod = OnlyPod(Sample(Snapshot([Pod(0.5, 2, cpuUsage: null, memoryUsage: null)])));

        pod.CpuUsageCoreHours.ShouldBeNull();
        pod.MemoryUsageGiBHours.ShouldBeNull();
        pod.CpuAllocatedCoreHours.ShouldBe(0.5);
        pod.Total.ShouldBe(0.08m); // 0.5 × 0.08 + 2 × 0.02
    }

    [Fact]
    public void Sample_RequestsOnlyCluster_IgnoresUsageFigures()
    {
        var pod = OnlyPod(Sample(Snapshot([Pod(0.25, 1, cpuUsage: 1.0, memoryUsage: 3)], usage: UsageSource.RequestsOnly)));

        pod.CpuUsageCoreHours.ShouldBeNull();
        pod.Total.ShouldBe(0.04m); // 0.25 × 0.08 + 1 × 0.02
    }

    [Fact]
    public void Sample_PodThatLivedTwentyMinutes_FourOfTwelveSlotsSumToAThirdOfAnHour()
    {
        var records = new List<CostRecord>();
        for (var slot = 0; slot < 12; slot++)
        {
            // The pod is seen in the first four five-minute slots only (10:00–10:20).
            var pods = slot < 4 ? new[] { Pod(0.5, 2, null, null) } : [];
            records.AddRange(Sample(Snapshot(pods), minutes: 5, start: Ten.AddMinutes(5 * slot)));
        }

        var pod = records.Where(r => r.Subject == CostSubject.Pod).ToList();
        pod.Count.ShouldBe(4);
        pod.ShouldAllBe(r => r.Hour == Ten);
        pod.Sum(r => r.Hours).ShouldBe(1.0 / 3, 1e-12);                  // 4 × 5 min
        pod.Sum(r => r.CpuAllocatedCoreHours).ShouldBe(1.0 / 6, 1e-12);  // 0.5 core × 1/3 h
        // 0.5 × 1/3 × 0.08 + 2 × 1/3 × 0.02 = 0.013333… + 0.013333… = 0.026666…
        Math.Round(pod.Sum(r => r.Total), 20).ShouldBe(0.02666666666666666667m);
        // The node was there all hour: 12 × 0.32 / 12 = 0.32.
        Math.Round(records.Where(r => r.Subject == CostSubject.Node).Sum(r => r.Total), 20).ShouldBe(0.32m);
    }

    [Fact]
    public void Sample_Node_OneRecordWithCapacityAndWholePrice()
    {
        var node = Sample(Snapshot(), minutes: 15).Single();

        node.Subject.ShouldBe(CostSubject.Node);
        (node.Namespace, node.Name, node.Detail).ShouldBe(("", "node-a", "t.small"));
        node.Hours.ShouldBe(0.25);
        node.CpuAllocatedCoreHours.ShouldBe(0.5);   // 2 cores × 0.25 h
        node.MemoryAllocatedGiBHours.ShouldBe(2);   // 8 GiB × 0.25 h
        (node.CpuPrice, node.MemoryPrice, node.UnitPrice).ShouldBe((0.08m, 0.02m, 0.32m));
        node.OtherCost.ShouldBe(0.08m);             // 0.32 × 0.25 h
        node.Total.ShouldBe(0.08m);                 // only the whole price, not CPU and memory again
    }

    [Fact]
    public void Sample_M5XLargeWithDefaultPrices_AQuarterOfTheNodeCostsAQuarterOfItsPrice()
    {
        var snapshot = Snapshot([Pod(1, 4, null, null, node: "m5")], [new NodeSnapshot("m5", "m5.xlarge", 4, 16)]);

        var pod = OnlyPod(Sample(snapshot, prices: new ClusterPrices()));

        // 1 × cpu + 4 × memory = (7.46 + 4) × 0.214 / 45.84 = 11.46 / 45.84 × 0.214 = 0.214 / 4 = 0.0535
        Math.Round(pod.Total, 20).ShouldBe(0.0535m);
    }

    [Fact]
    public void Sample_PodOnUnknownNode_DefaultPriceOverTheAverageNode()
    {
        // Nodes of 2 cores/8 GiB and 4 cores/16 GiB: average 3 cores/12 GiB, weight 3 × 4 + 12 = 24;
        // default 0.24 / 24 = 0.01 per GiB-hour, 0.04 per core-hour.
        var snapshot = Snapshot([Pod(1, 1, null, null, node: "gone")], [Small, new NodeSnapshot("node-b", null, 4, 16)]);

        var pod = OnlyPod(Sample(snapshot));

        (pod.CpuPrice, pod.MemoryPrice).ShouldBe((0.04m, 0.01m));
        pod.Total.ShouldBe(0.05m); // 1 × 0.04 + 1 × 0.01
    }

    [Fact]
    public void Sample_PodOnUnknownNodeWithoutAnyNode_DefaultPriceOverOneCoreAndFourGiB()
    {
        // weight 1 × 4 + 4 = 8: 0.24 / 8 = 0.03 per GiB-hour, 0.12 per core-hour.
        var pod = OnlyPod(Sample(Snapshot([Pod(1, 1, null, null, node: "gone")], nodes: [])));

        (pod.CpuPrice, pod.MemoryPrice).ShouldBe((0.12m, 0.03m));
        pod.Total.ShouldBe(0.15m);
    }

    [Fact]
    public void Sample_Volume_GiBHoursAtTheMonthPriceOver730Hours()
    {
        var volume = Sample(Snapshot(volumes: [new VolumeSnapshot("shop-dev", "data-0", 10)], nodes: [])).Single();

        volume.Subject.ShouldBe(CostSubject.Volume);
        volume.Quantity.ShouldBe(10);        // 10 GiB × 1 h
        volume.UnitPrice.ShouldBe(0.0001m);  // 0.073 / 730
        volume.OtherCost.ShouldBe(0.001m);   // 10 × 0.0001
    }

    [Fact]
    public void Sample_LoadBalancerAndIngress_HoursAtTheirHourlyPrices()
    {
        var records = Sample(Snapshot(nodes: [], network:
        [
            new NetworkSnapshot("shop-dev", "orders-lb", NetworkKind.LoadBalancer, "orders"),
            new NetworkSnapshot("shop-dev", "web", NetworkKind.Ingress, "frontend"),
        ]), minutes: 15);

        var lb = records.Single(r => r.Subject == CostSubject.LoadBalancer);
        (lb.Name, lb.Service, lb.Quantity, lb.UnitPrice, lb.OtherCost).ShouldBe(("orders-lb", "orders", 0.25, 0.0252m, 0.0063m)); // 0.25 × 0.0252
        var ingress = records.Single(r => r.Subject == CostSubject.Ingress);
        (ingress.Name, ingress.Service, ingress.OtherCost).ShouldBe(("web", "frontend", 0.0025m)); // 0.25 × 0.01
    }

    [Fact]
    public void Sample_SharedAmountIn30DayMonth_OneRecordPerEnvironmentNamespace()
    {
        var prices = new ClusterPrices { SharedMonthlyPerEnvironment = 73m };

        var shared = Sample(Snapshot(nodes: []), prices: prices, environments: ["shop-dev", "shop-qa"]);

        shared.Select(r => (r.Subject, r.Namespace, r.Name)).ShouldBe([(CostSubject.Shared, "shop-dev", "shop-dev"), (CostSubject.Shared, "shop-qa", "shop-qa")]);
        // November has 30 days = 720 hours: 73 / 720 = 0.10138888… per hour, for 1 hour.
        Math.Round(shared[0].OtherCost, 20).ShouldBe(0.10138888888888888889m);
        shared[0].Quantity.ShouldBe(1);
    }

    [Fact]
    public void Sample_SharedAmountIn31DayMonth_SpreadOver744Hours()
    {
        var prices = new ClusterPrices { SharedMonthlyPerEnvironment = 74.4m };
        var december = new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero);

        var shared = Sample(Snapshot(nodes: []), minutes: 30, prices: prices, start: december, environments: ["shop-dev"]).Single();

        shared.UnitPrice.ShouldBe(0.1m);  // 74.4 / 744
        shared.OtherCost.ShouldBe(0.05m); // × 0.5 h
    }

    [Fact]
    public void Sample_NoSharedAmount_NoSharedRecords() =>
        Sample(Snapshot(nodes: []), environments: ["shop-dev"]).ShouldBeEmpty();

    [Fact]
    public void Sample_SlotStartMidHourInAnotherOffset_HourIsTheUtcHour()
    {
        var start = new DateTimeOffset(2026, 11, 3, 12, 35, 0, TimeSpan.FromHours(2));

        var node = Sample(Snapshot(), minutes: 5, start: start).Single();

        node.Hour.ShouldBe(Ten);
        node.Hour.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    public void Sample_SlotLengthOutsideOneHour_Throws(double minutes) =>
        Should.Throw<ArgumentOutOfRangeException>(() => Sample(Snapshot(), minutes: minutes));
}
