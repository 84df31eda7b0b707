using FsCheck;
using FsCheck.Fluent;
using Portal.Core.Costs;
using static Portal.Core.Tests.Costs.CostTestData;

namespace Portal.Core.Tests.Costs;

public class CostBreakdownTests
{
    private static readonly DateTimeOffset Hour11 = Hour10.AddHours(1);

    /// <summary>One cluster-hour: nodes cost 1.0; namespace a is allocated 0.3, b 0.1.</summary>
    private static readonly CostRecord[] TwoNamespaces =
    [
        Node(Hour10, 1.0m),
        Pod(Hour10, "a", cpu: 0.2m, memory: 0.1m),
        Pod(Hour10, "b", cpu: 0.1m, memory: 0m),
    ];

    private static CostInputs Inputs(params CostRecord[] totals) => new(totals, [Slot(Hour10)]);

    [Fact]
    public void IdleShares_TwoNamespaces_IdleSplitByAllocation()
    {
        var lines = CostBreakdown.IdleShares(TwoNamespaces, r => r.Namespace == "a");

        // idle = 1.0 − (0.3 + 0.1) = 0.6; a's share = 0.6 × 0.3 / 0.4 = 0.45
        lines.ShouldBe([new IdleShareLine(Hour10, "c1", 1.0m, 0.4m, 0.3m, 0.45m)]);
    }

    [Fact]
    public void Rows_IdleShared_EachNamespaceGetsItsShare()
    {
        var rows = CostBreakdown.Rows(Inputs(TwoNamespaces), ByNamespace, shareIdle: true);

        rows.Select(r => r.Key).ShouldBe(["a", "b"]);
        // a: 0.2 + 0.1 + idle 0.6 × 0.3 / 0.4 = 0.45 → 0.75
        (rows[0].Of(CostResource.Cpu), rows[0].Of(CostResource.Memory), rows[0].Of(CostResource.Idle), rows[0].Total).ShouldBe((0.2m, 0.1m, 0.45m, 0.75m));
        // b: 0.1 + idle 0.6 × 0.1 / 0.4 = 0.15 → 0.25
        (rows[1].Of(CostResource.Cpu), rows[1].Of(CostResource.Idle), rows[1].Total).ShouldBe((0.1m, 0.15m, 0.25m));
        CostBreakdown.Unattributed(Inputs(TwoNamespaces), ByNamespace, shareIdle: true).ShouldBeNull();
    }

    [Fact]
    public void Rows_IdleNotShared_UnattributedHoldsIt()
    {
        var rows = CostBreakdown.Rows(Inputs(TwoNamespaces), ByNamespace, shareIdle: false);
        var unattributed = CostBreakdown.Unattributed(Inputs(TwoNamespaces), ByNamespace, shareIdle: false);

        rows.Select(r => (r.Key, r.Total, r.Of(CostResource.Idle))).ShouldBe([("a", 0.3m, 0m), ("b", 0.1m, 0m)]);
        unattributed.ShouldNotBeNull();
        (unattributed.Key, unattributed.Total, unattributed.Of(CostResource.Idle)).ShouldBe((CostBreakdown.UnattributedKey, 0.6m, 0.6m));
    }

    [Fact]
    public void IdleShares_PodsAllocatedMoreThanTheNodesCost_IdleFlooredAtZero()
    {
        CostRecord[] totals = [Node(Hour10, 0.3m), .. TwoNamespaces.Skip(1)];

        // 0.3 − 0.4 < 0: idle 0, not −0.1 taken off the pods
        CostBreakdown.IdleShares(totals, r => r.Namespace == "a").ShouldBe([new IdleShareLine(Hour10, "c1", 0.3m, 0.4m, 0.3m, 0m)]);
        CostBreakdown.Rows(Inputs(totals), ByNamespace, shareIdle: true).Select(r => (r.Key, r.Total)).ShouldBe([("a", 0.3m), ("b", 0.1m)]);
        CostBreakdown.Unattributed(Inputs(totals), ByNamespace, shareIdle: false).ShouldBeNull();
    }

    [Fact]
    public void Rows_IdleSharedWithPodsOfNoEnvironment_TheirShareStaysUnattributed()
    {
        CostRecord[] totals = [Node(Hour10, 1.0m), Pod(Hour10, "a", 0.3m, 0m), Pod(Hour10, "kube-system", 0.1m, 0m)];

        var rows = CostBreakdown.Rows(Inputs(totals), ByNamespace, shareIdle: true);
        var unattributed = CostBreakdown.Unattributed(Inputs(totals), ByNamespace, shareIdle: true)!;

        rows.Single().Total.ShouldBe(0.75m); // 0.3 + 0.6 × 0.3 / 0.4
        // kube-system's 0.1 and its idle share 0.6 × 0.1 / 0.4 = 0.15
        (unattributed.Of(CostResource.Cpu), unattributed.Of(CostResource.Idle), unattributed.Total).ShouldBe((0.1m, 0.15m, 0.25m));
    }

    [Fact]
    public void Rows_IdleSharedInClusterHourWithoutPods_NobodyToShareWithSoUnattributed()
    {
        CostRecord[] totals = [Node(Hour10, 1.0m), Other(Hour10, CostSubject.Volume, "a", 0.2m)];

        CostBreakdown.Rows(Inputs(totals), ByNamespace, shareIdle: true).Single().Total.ShouldBe(0.2m);
        CostBreakdown.Unattributed(Inputs(totals), ByNamespace, shareIdle: true)!.Of(CostResource.Idle).ShouldBe(1.0m);
    }

    [Fact]
    public void Rows_IdleShared_ComputedPerClusterHourNotPooled()
    {
        CostRecord[] totals =
        [
            .. TwoNamespaces,
            Node(Hour11, 0.5m), Pod(Hour11, "b", 0.5m, 0m),  // 11:00: no idle
            Node(Hour10, 2.0m, cluster: "c2"),                // another cluster, no pods: its idle is nobody's
        ];

        var rows = CostBreakdown.Rows(Inputs(totals), ByNamespace, shareIdle: true);

        // Pooled, a would get 3.5 − 0.9 = 2.6 × 0.3 / 0.9; per cluster-hour: a 0.3 + 0.45, b 0.1 + 0.15 + 0.5.
        rows.Select(r => (r.Key, r.Total, r.Of(CostResource.Idle))).ShouldBe([("a", 0.75m, 0.45m), ("b", 0.75m, 0.15m)]);
        CostBreakdown.Unattributed(Inputs(totals), ByNamespace, shareIdle: true)!.Total.ShouldBe(2.0m);
    }

    [Fact]
    public void Rows_EachSubjectToItsResource_SortedByTotalDescending()
    {
        CostRecord[] totals =
        [
            Other(Hour10, CostSubject.Volume, "a", 0.1m),
            Other(Hour10, CostSubject.LoadBalancer, "a", 0.02m),
            Other(Hour10, CostSubject.Ingress, "a", 0.03m),
            Other(Hour10, CostSubject.Shared, "a", 0.1m),
            Pod(Hour10, "b", 0.4m, 0.1m),
            Other(Hour10, CostSubject.Volume, "kube-system", 9m),
        ];

        var rows = CostBreakdown.Rows(Inputs(totals), ByNamespace, shareIdle: false);

        rows.Select(r => (r.Key, r.Total)).ShouldBe([("b", 0.5m), ("a", 0.25m)]);
        (rows[1].Of(CostResource.Storage), rows[1].Of(CostResource.Network), rows[1].Of(CostResource.Shared)).ShouldBe((0.1m, 0.05m, 0.1m));
        (rows[0].Of(CostResource.Cpu), rows[0].Of(CostResource.Memory)).ShouldBe((0.4m, 0.1m));
        CostBreakdown.Unattributed(Inputs(totals), ByNamespace, shareIdle: false)!.Of(CostResource.Storage).ShouldBe(9m);
    }

    [Fact]
    public void Daily_GapDayAndPartialDay_NullTotalAndCoveredHours()
    {
        var nov1 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var nov3At10 = nov1.AddDays(2).AddHours(10);
        CostSlot[] slots =
        [
            .. HourlySlots(nov1, 24),                                                    // 1 Nov: all day
            .. Enumerable.Range(0, 12).Select(i => Slot(nov3At10.AddMinutes(5 * i), 5)), // 3 Nov: 10:00–11:00 only
            Slot(nov1.AddDays(3)),                                                       // 4 Nov: sampled, nothing of ours ran
        ];
        CostRecord[] totals =
        [
            Pod(nov1.AddHours(10), "a", 0.5m, 0m),
            Pod(nov1.AddHours(10), "kube-system", 0.2m, 0m),
            Pod(nov3At10, "a", 0.2m, 0m),
            Other(nov3At10, CostSubject.Volume, "b", 0.1m),
        ];

        var days = CostBreakdown.Daily(new CostInputs(totals, slots), ByNamespace, false, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 4));

        days.Select(d => (d.Day.Day, d.Total, d.CoveredHours)).ShouldBe([(1, 0.5m, 24.0), (2, null, 0.0), (3, 0.3m, 1.0), (4, 0m, 1.0)]);
        days[0].ByKey.ShouldBe(new Dictionary<string, decimal> { ["a"] = 0.5m }); // kube-system is in no key
        days[1].ByKey.ShouldBeEmpty();
        days[2].ByKey.ShouldBe(new Dictionary<string, decimal> { ["a"] = 0.2m, ["b"] = 0.1m });
        (days[2].ByResource[CostResource.Cpu], days[2].ByResource[CostResource.Storage]).ShouldBe((0.2m, 0.1m));
    }

    [Fact]
    public void Daily_IdleShared_InByKeyAndByResource()
    {
        var day = CostBreakdown.Daily(Inputs(TwoNamespaces), ByNamespace, true, DateOnly.FromDateTime(Hour10.UtcDateTime), DateOnly.FromDateTime(Hour10.UtcDateTime)).Single();

        day.Total.ShouldBe(1.0m); // 0.75 + 0.25: all the nodes cost
        day.ByKey.ShouldBe(new Dictionary<string, decimal> { ["a"] = 0.75m, ["b"] = 0.25m });
        day.ByResource[CostResource.Idle].ShouldBe(0.6m);
    }

    [Fact]
    public void Daily_SlotsOfTwoClustersAtTheSameTime_CoverTheHoursOnce()
    {
        CostSlot[] slots =
        [
            .. Enumerable.Range(0, 12).Select(i => Slot(Hour10.AddMinutes(5 * i), 5, "c1")),
            .. Enumerable.Range(0, 13).Select(i => Slot(Hour10.AddMinutes(5 * i), 5, "c2")),
        ];

        var day = CostBreakdown.Daily(new CostInputs([], slots), ByNamespace, false, new DateOnly(2026, 11, 3), new DateOnly(2026, 11, 3)).Single();

        day.CoveredHours.ShouldBe(13 / 12.0, 1e-12); // 10:00–11:05, not 25 × 5 minutes
    }

    [Fact]
    public void Month_MidMonthWithGap_MonthToDateRunRateOfCoveredHoursAndChangeFromLastMonth()
    {
        var oct1 = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var nov1 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var now = nov1.AddDays(14); // 15 Nov 00:00
        var slots = new List<CostSlot>();
        var totals = new List<CostRecord>();
        void Hourly(DateTimeOffset from, int hours, decimal cost)
        {
            slots.AddRange(HourlySlots(from, hours));
            totals.AddRange(Enumerable.Range(0, hours).Select(h => Pod(from.AddHours(h), "a", cost, 0m)));
        }

        Hourly(oct1, 31 * 24, 0.4m);             // October: 744 h × 0.4 = 297.6
        Hourly(nov1, 7 * 24, 0.25m);             // 1–7 Nov: 168 h × 0.25 = 42
        Hourly(nov1.AddDays(7), 2 * 24, 0.5m);   // 8–9 Nov: 48 h × 0.5 = 24
        Hourly(nov1.AddDays(10), 4 * 24, 0.5m);  // 11–14 Nov: 96 h × 0.5 = 48 (10 Nov is a sampling gap)
        totals.Add(Pod(nov1, "kube-system", 5m, 0m));

        var month = CostBreakdown.Month(new CostInputs(totals, slots), ByNamespace, false, now, 400m);

        month.Month.ShouldBe("2026-11");
        month.MonthToDate.ShouldBe(114m); // 42 + 24 + 48
        // run rate over the covered hours of 8–15 Nov: (24 + 48) / 144 h = 0.5 (the gap is not counted as zero);
        // 16 days = 384 h left: 114 + 0.5 × 384 = 306
        month.Forecast.ShouldBe(306m);
        month.LastMonth.ShouldBe(297.6m);
        month.ChangeFromLastMonth!.Value.ShouldBe((306 - 297.6) / 297.6, 1e-12); // +2.8 %
        month.Budget.ShouldBe(400m);
    }

    [Fact]
    public void Month_FewerThanSevenDaysOfData_RunRateOfWhatThereIs()
    {
        var nov2 = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        var now = nov2.AddDays(2); // 4 Nov 00:00
        var totals = Enumerable.Range(0, 48).Select(h => Pod(nov2.AddHours(h), "a", 0.3m, 0m)).ToList();

        var month = CostBreakdown.Month(new CostInputs(totals, [.. HourlySlots(nov2, 48)]), ByNamespace, false, now, 0m);

        // 48 h × 0.3 = 14.4; rate 0.3 over 48 covered hours; 27 days = 648 h left: 14.4 + 194.4 = 208.8
        month.ShouldBe(new MonthCost("2026-11", 14.4m, 208.8m, 0m, null, null));
    }

    [Fact]
    public void Month_IdleSharedOrNot_InTheScopesFigures()
    {
        var now = Hour10.AddHours(2); // 3 Nov 12:00; 27.5 days = 660 h left
        var onlyA = (CostRecord r) => r.Namespace == "a" ? "a" : null;

        var shared = CostBreakdown.Month(Inputs(TwoNamespaces), onlyA, true, now, 100m);
        var alone = CostBreakdown.Month(Inputs(TwoNamespaces), onlyA, false, now, 100m);

        // shared: 0.3 + 0.45 = 0.75 in one covered hour; 0.75 + 0.75 × 660 = 495.75
        (shared.MonthToDate, shared.Forecast).ShouldBe((0.75m, 495.75m));
        // alone: 0.3; 0.3 + 0.3 × 660 = 198.3
        (alone.MonthToDate, alone.Forecast).ShouldBe((0.3m, 198.3m));
    }

    [Fact]
    public void Month_NoData_NoForecastNoLastMonth() =>
        CostBreakdown.Month(new CostInputs([], []), ByNamespace, false, Hour10, 50m)
            .ShouldBe(new MonthCost("2026-11", 0m, null, 50m, null, null));

    [Fact]
    public void Month_LastMonthSampledButFree_LastMonthZeroAndNoChange()
    {
        var month = CostBreakdown.Month(new CostInputs([Pod(Hour10, "a", 1m, 0m)], [Slot(Hour10), Slot(Hour10.AddDays(-10))]), ByNamespace, false, Hour10.AddHours(1), 0m);

        month.LastMonth.ShouldBe(0m);
        month.ChangeFromLastMonth.ShouldBeNull();
    }

    /// <summary>
    /// Any records of three hours, two clusters, two environments and kube-system, with costs in cents, thirds and
    /// sevenths (so idle shares do not divide evenly), idle shared or not.
    /// </summary>
    private static readonly Gen<(CostRecord[] Records, bool ShareIdle)> AnyTotals =
        from count in Gen.Choose(0, 40)
        from records in Gen.ArrayOf(
            from hour in Gen.Choose(0, 2)
            from cluster in Gen.Elements("c1", "c2")
            from subject in Gen.Elements(Enum.GetValues<CostSubject>())
            from ns in Gen.Elements("a", "b", "kube-system")
            from divisor in Gen.Elements(100m, 3m, 7m)
            from cpu in Gen.Choose(0, 1000)
            from memory in Gen.Choose(0, 1000)
            select subject switch
            {
                CostSubject.Node => Node(Hour10.AddHours(hour), cpu / divisor, cluster),
                CostSubject.Pod => Pod(Hour10.AddHours(hour), ns, cpu / divisor, memory / divisor, cluster: cluster),
                _ => Other(Hour10.AddHours(hour), subject, ns, cpu / divisor, cluster: cluster),
            },
            count)
        from shareIdle in Gen.Elements(true, false)
        select (records, shareIdle);

    [Fact]
    public void RowsPlusUnattributed_AnyRecords_EveryNonNodeCostPlusIdle() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(AnyTotals.ToArbitrary(), input =>
        {
            var (records, shareIdle) = input;
            var inputs = new CostInputs(records, []);

            var attributed = CostBreakdown.Rows(inputs, ByNamespace, shareIdle).Sum(r => r.Total)
                + (CostBreakdown.Unattributed(inputs, ByNamespace, shareIdle)?.Total ?? 0m);

            // Idle per cluster-hour: nodes − pods' CPU and memory, floored at 0.
            var idle = records.GroupBy(r => (r.Hour, r.Cluster)).Sum(g => Math.Max(0m,
                g.Where(r => r.Subject == CostSubject.Node).Sum(r => r.Total)
                - g.Where(r => r.Subject == CostSubject.Pod).Sum(r => r.CpuCost + r.MemoryCost)));
            var expected = records.Where(r => r.Subject != CostSubject.Node).Sum(r => r.Total) + idle;
            // Shares are idle × part / whole to decimal's 28 digits: equal up to the last digits.
            Math.Abs(attributed - expected).ShouldBeLessThan(1e-20m, $"attributed {attributed}, expected {expected}");
        }));
}
