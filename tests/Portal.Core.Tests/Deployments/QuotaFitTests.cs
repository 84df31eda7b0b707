using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Environments;

namespace Portal.Core.Tests.Deployments;

public class QuotaFitTests
{
    private static readonly EnvironmentQuota Quota = new("2", "4Gi", 10);

    private static DeploySpec Spec(int replicas, string cpu = "250m", string memory = "256Mi") =>
        new() { Image = "shop/orders:1", Replicas = replicas, Resources = new ResourceSettings(cpu, "", memory, "") };

    [Fact]
    public void Check_FirstDeployThatFits_NoSurgeCounted()
    {
        var fit = QuotaFit.Check(Quota, new ResourceUsage(500, 1L << 30, 2), null, Spec(4));

        fit.Problem.ShouldBeNull();
        fit.Summary.ShouldBe("Needs 1500m of 2 CPU, 2 GiB of 4Gi memory and 6 of 10 pods.");
    }

    [Fact]
    public void Check_UpdateOfARunningService_CountsItsOwnPodsOnceAndTheSurge()
    {
        // The namespace uses 1500m: 1000m of it is this service's 4 × 250m, which the new pods replace.
        var current = new LiveService("orders", "shop/orders:0", 4, 4, 250, 256L << 20);

        var fit = QuotaFit.Check(Quota, new ResourceUsage(1500, 1L << 30, 6), current, Spec(4));

        fit.Problem.ShouldBeNull();
        fit.Summary.ShouldBe("Needs 1750m of 2 CPU, 1.3 GiB of 4Gi memory and 7 of 10 pods (4 replicas + 1 during the rolling update).");
    }

    [Fact]
    public void Check_TooManyReplicas_NamesEachExceededResourceWithTheArithmetic()
    {
        var fit = QuotaFit.Check(Quota, new ResourceUsage(500, 0, 2), null, Spec(9));

        fit.Problem.ShouldNotBeNull();
        fit.Problem.ShouldContain("CPU: 9 pods × 250m = 2250m, with 500m used by others, exceeds the quota of 2");
        fit.Problem.ShouldContain("pods: 9, with 2 other pods, exceeds the quota of 10");
        fit.Problem.ShouldNotContain("memory:");
    }

    [Fact]
    public void Check_NoQuota_AlwaysFits() =>
        QuotaFit.Check(EnvironmentQuota.Unset, new ResourceUsage(0, 0, 0), null, Spec(100, "64")).Problem.ShouldBeNull();
}
