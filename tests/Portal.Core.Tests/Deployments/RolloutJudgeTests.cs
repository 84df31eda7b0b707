using Portal.Core.Deployments;

namespace Portal.Core.Tests.Deployments;

public class RolloutJudgeTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly DeploymentOptions Options = new() { ReadinessTimeout = TimeSpan.FromMinutes(2), UnschedulableGrace = TimeSpan.FromSeconds(30), ProgressDeadlineSeconds = 300 };

    private static RolloutStatus Status(int desired = 3, int updated = 3, int ready = 3, int available = 3, int total = 3, bool observed = true,
        IReadOnlyList<RolloutPod>? pods = null, IReadOnlyList<RolloutProblem>? problems = null) => new()
        {
            Exists = true, Desired = desired, Updated = updated, Ready = ready, Available = available, Total = total, Observed = observed,
            Pods = pods ?? [], Problems = problems ?? [],
        };

    [Fact]
    public void Judge_AllUpdatedAvailableAndNoOldPods_Succeeded() =>
        RolloutJudge.Judge(Status(), Start, Start.AddSeconds(5), Options).ShouldBeOfType<RolloutVerdict.Succeeded>();

    [Theory]
    [InlineData(3, 3, 3, 4, true)]  // an old pod still terminating
    [InlineData(3, 2, 3, 3, true)]  // not every replica updated
    [InlineData(3, 3, 2, 3, true)]  // not every replica available
    [InlineData(3, 3, 3, 3, false)] // the controller has not seen the new spec yet
    public void Judge_NotYetComplete_Progressing(int desired, int updated, int available, int total, bool observed) =>
        RolloutJudge.Judge(Status(desired, updated, available, available, total, observed), Start, Start.AddSeconds(5), Options).ShouldBeOfType<RolloutVerdict.Progressing>();

    [Theory]
    [InlineData(RolloutProblems.ImagePullBackOff)]
    [InlineData(RolloutProblems.CrashLoopBackOff)]
    [InlineData(RolloutProblems.ProgressDeadlineExceeded)]
    public void Judge_ProblemsWaitingCannotFix_FailAtOnce(string reason)
    {
        var verdict = RolloutJudge.Judge(Status(updated: 1, available: 0, problems: [new(reason, "why", Start.AddSeconds(1))]), Start, Start.AddSeconds(2), Options);

        verdict.ShouldBe(new RolloutVerdict.Failed(reason, "why"));
    }

    [Fact]
    public void Judge_Unschedulable_FailsOnlyAfterTheGrace()
    {
        var status = Status(updated: 1, available: 0, problems: [new(RolloutProblems.Unschedulable, "no node has enough free CPU", Start.AddSeconds(10))]);

        RolloutJudge.Judge(status, Start, Start.AddSeconds(39), Options).ShouldBeOfType<RolloutVerdict.Progressing>();
        RolloutJudge.Judge(status, Start, Start.AddSeconds(40), Options).ShouldBe(new RolloutVerdict.Failed(RolloutProblems.Unschedulable, "no node has enough free CPU"));
    }

    [Fact]
    public void Judge_QuotaSeenBeforeTheRolloutStarted_GraceCountsFromTheStart()
    {
        var status = Status(updated: 0, available: 0, problems: [new(RolloutProblems.QuotaExceeded, "exceeded quota", Start.AddHours(-1))]);

        RolloutJudge.Judge(status, Start, Start.AddSeconds(29), Options).ShouldBeOfType<RolloutVerdict.Progressing>();
        RolloutJudge.Judge(status, Start, Start.AddSeconds(30), Options).ShouldBeOfType<RolloutVerdict.Failed>();
    }

    [Fact]
    public void Judge_PodRunningButNeverReady_FailsAfterTheReadinessTimeout_NamingThePodAndPath()
    {
        RolloutPod Pod(bool current) => new(current ? "orders-new-1" : "orders-old-1", "Running", false, 0, null, null, current, Start.AddSeconds(5), "node-1");
        var status = Status(ready: 2, available: 2, pods: [Pod(current: false), Pod(current: true)]);

        RolloutJudge.Judge(status, Start, Start.AddSeconds(124), Options, "/healthz").ShouldBeOfType<RolloutVerdict.Progressing>();
        var verdict = RolloutJudge.Judge(status, Start, Start.AddSeconds(125), Options, "/healthz").ShouldBeOfType<RolloutVerdict.Failed>();

        verdict.Reason.ShouldBe(RolloutProblems.ReadinessTimeout);
        verdict.Message.ShouldBe("Pod orders-new-1 has been running for 2 minutes without passing its readiness check on /healthz; look at its logs and its health endpoint.");
    }

    [Fact]
    public void Judge_WatchedLongerThanTheDeadlinePlusAMinute_Fails()
    {
        var verdict = RolloutJudge.Judge(Status(updated: 2, available: 1), Start, Start.AddMinutes(6), Options).ShouldBeOfType<RolloutVerdict.Failed>();

        verdict.Message.ShouldBe("The rollout did not finish within 6 minutes: 2 of 3 replicas updated, 1 available.");
    }
}
