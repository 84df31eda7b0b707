using Portal.Core.Costs;

namespace Portal.Core.Tests.Costs;

public class IdleDetectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset Created = Now.AddDays(-30);

    // Idle after 7 days without a deploy and below 5 % of requested CPU used.
    private static readonly CostsOptions Options = new() { IdleAfterDays = 7, IdleCpuUsageShare = 0.05 };

    [Fact]
    public void Judge_RecentDeploy_NotIdleWhateverTheUse()
    {
        var verdict = IdleDetector.Judge(Now.AddDays(-3), Created, 100, 0, Now, Options);

        verdict.Idle.ShouldBeFalse();
        verdict.DaysSinceDeploy.ShouldBe(3);
        verdict.Reason.ShouldBe("Last deploy 3 days ago: not idle before 7 days without a deploy.");
    }

    [Fact]
    public void Judge_OldDeployLowUse_Idle()
    {
        // 2 of 100 requested core-hours used = 2 % < 5 %
        var verdict = IdleDetector.Judge(Now.AddDays(-10), Created, 100, 2, Now, Options);

        verdict.ShouldBe(new IdleVerdict(true, Now.AddDays(-10), 10, 0.02,
            "Last deploy 10 days ago; pods used 2% of the CPU they requested, below the 5% threshold."));
    }

    [Fact]
    public void Judge_OldDeployHighUse_NotIdle()
    {
        var verdict = IdleDetector.Judge(Now.AddDays(-10), Created, 100, 50, Now, Options);

        (verdict.Idle, verdict.CpuUsageShare).ShouldBe((false, 0.5));
        verdict.Reason.ShouldContain("50% of the CPU they requested, not below the 5% threshold");
    }

    [Fact]
    public void Judge_UseExactlyAtTheThreshold_NotIdle() =>
        IdleDetector.Judge(Now.AddDays(-10), Created, 100, 5, Now, Options).Idle.ShouldBeFalse();

    [Fact]
    public void Judge_ExactlyIdleAfterDays_Idle() =>
        IdleDetector.Judge(Now.AddDays(-7), Created, 100, 0, Now, Options).Idle.ShouldBeTrue();

    [Fact]
    public void Judge_NoUsageFigures_JudgedOnDeploysAloneAndSaysSo()
    {
        var verdict = IdleDetector.Judge(Now.AddDays(-10), Created, 100, null, Now, Options);

        (verdict.Idle, verdict.CpuUsageShare).ShouldBe((true, null));
        verdict.Reason.ShouldBe("Last deploy 10 days ago; CPU usage unknown (no usage figures), so judged on deploys alone.");
    }

    [Fact]
    public void Judge_NeverDeployedAndNoPods_CountsFromCreationWithUsageShareZero()
    {
        var verdict = IdleDetector.Judge(null, Now.AddDays(-12.5), 0, 0, Now, Options);

        verdict.ShouldBe(new IdleVerdict(true, null, 12.5, 0,
            "Never deployed, created 12.5 days ago; pods used 0% of the CPU they requested, below the 5% threshold."));
    }

    [Fact]
    public void Judge_NeverDeployedButNew_NotIdle() =>
        IdleDetector.Judge(null, Now.AddDays(-2), 0, 0, Now, Options).Idle.ShouldBeFalse();

    [Fact]
    public void Judge_UsageWithoutRequests_InUse() =>
        IdleDetector.Judge(Now.AddDays(-10), Created, 0, 3, Now, Options).ShouldSatisfyAllConditions(
            v => v.Idle.ShouldBeFalse(),
            v => v.CpuUsageShare.ShouldBe(1));
}
