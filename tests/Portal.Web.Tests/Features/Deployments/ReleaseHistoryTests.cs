using Portal.Core.Deployments;
using Portal.Web.Features.Deployments;

namespace Portal.Web.Tests.Features.Deployments;

/// <summary>Where a release stands among its service's releases: the previous one, the last good one, the one running.</summary>
public sealed class ReleaseHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Of_FailedAfterGoodOnes_RollsBackToTheLastGoodBeforeIt()
    {
        var r1 = Release(1, ReleaseState.Succeeded);
        var r2 = Release(2, ReleaseState.Succeeded);
        var r3 = Release(3, ReleaseState.Failed);
        var r4 = Release(4, ReleaseState.Succeeded);

        var history = ReleaseHistory.Of(r3, [r4, r3, r2, r1]);

        history.Previous.ShouldBe(r2);
        history.LastGood.ShouldBe(r2);
        history.RollbackTarget(r3).ShouldBe(r2);
        history.Current.ShouldBe(r4);
    }

    [Fact]
    public void Of_FailedFirstRelease_NothingToRollBackTo()
    {
        var r1 = Release(1, ReleaseState.Failed);

        var history = ReleaseHistory.Of(r1, [r1]);

        history.Previous.ShouldBeNull();
        history.RollbackTarget(r1).ShouldBeNull();
    }

    [Fact]
    public void Of_FailedReleasesInBetween_SkippedForTheLastGood()
    {
        var r1 = Release(1, ReleaseState.Succeeded);
        var r2 = Release(2, ReleaseState.Failed);
        var r3 = Release(3, ReleaseState.Cancelled);
        var r4 = Release(4, ReleaseState.Failed);

        ReleaseHistory.Of(r4, [r1, r2, r3, r4]).RollbackTarget(r4).ShouldBe(r1);
    }

    [Fact]
    public void MayRollBackTo_OnlyAGoodReleaseTheClusterNoLongerRuns()
    {
        var r1 = Release(1, ReleaseState.Succeeded);
        var r2 = Release(2, ReleaseState.Failed);
        var r3 = Release(3, ReleaseState.Queued, started: false);
        var all = new[] { r1, r2, r3 };

        ReleaseHistory.Of(r1, all).MayRollBackTo(r1).ShouldBeTrue("#2 was applied after it");
        ReleaseHistory.Of(r2, all).MayRollBackTo(r2).ShouldBeFalse("a failed release is not a target");
        ReleaseHistory.Of(r1, [r1, r3]).MayRollBackTo(r1).ShouldBeFalse("#1 still runs: #3 has not started");
    }

    [Fact]
    public void Of_IgnoresOtherServicesAndEnvironments()
    {
        var mine = Release(2, ReleaseState.Failed);
        var otherService = Release(1, ReleaseState.Succeeded) with { Service = "billing" };
        var otherEnvironment = Release(1, ReleaseState.Succeeded) with { Environment = "test" };

        var history = ReleaseHistory.Of(mine, [mine, otherService, otherEnvironment]);

        history.LastGood.ShouldBeNull();
        history.Previous.ShouldBeNull();
    }

    private static Release Release(int number, ReleaseState state, bool started = true) => new()
    {
        Id = Guid.NewGuid(),
        Service = "orders",
        Environment = "dev",
        Number = number,
        Spec = new DeploySpec { Image = $"registry.portal.test/shop/orders:1.{number}.0" },
        Manifests = [],
        RequestedBy = "dev",
        CreatedAt = T0.AddMinutes(number),
        StartedAt = started ? T0.AddMinutes(number) : null,
        State = state,
    };
}
