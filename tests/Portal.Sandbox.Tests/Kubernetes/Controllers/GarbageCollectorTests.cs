using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Tests.Kubernetes.Controllers;

/// <summary>Deleting a Deployment with each propagation policy, and what becomes of its ReplicaSet and pods.</summary>
public sealed class GarbageCollectorTests
{
    private static TestCluster RunningDeployment()
    {
        // Pods take two seconds to stop, so every intermediate state is seen.
        var cluster = new TestCluster(timings: SandboxTimings.Fast with { Termination = TimeSpan.FromSeconds(2) });
        cluster.CreateDeployment("web", "web:1", 2);
        cluster.StepUntil(() => cluster.Pods().Count(TestCluster.IsReady) == 2);
        return cluster;
    }

    private static int ReplicaSets(TestCluster cluster) => cluster.Store.List(ResourceTypes.ReplicaSets, TestCluster.Ns).Count;

    private static bool DeploymentExists(TestCluster cluster) => cluster.Store.Get(ResourceTypes.Deployments, TestCluster.Ns, "web") is not null;

    [Fact]
    public async Task Background_DeletesTheOwnerAtOnceAndItsDependentsAfterwards()
    {
        await using var cluster = RunningDeployment();

        cluster.Store.Delete(ResourceTypes.Deployments, TestCluster.Ns, "web", new DeleteOptions("Background"));

        DeploymentExists(cluster).ShouldBeFalse();
        ReplicaSets(cluster).ShouldBe(1, "the garbage collector has not run yet");
        cluster.StepUntil(() => ReplicaSets(cluster) == 0 && cluster.Pods().Count == 0, maxSteps: 80);
    }

    [Fact]
    public async Task Foreground_KeepsTheOwnerUntilEveryDependentIsGone()
    {
        await using var cluster = RunningDeployment();

        var marked = cluster.Store.Delete(ResourceTypes.Deployments, TestCluster.Ns, "web", new DeleteOptions("Foreground"));

        J.IsTerminating(marked).ShouldBeTrue();
        J.At(marked, "metadata", "finalizers")!.AsArray().Select(f => f!.GetValue<string>()).ShouldBe(["foregroundDeletion"]);
        var sawOwnerWaiting = false;
        cluster.StepUntil(() => !DeploymentExists(cluster), () =>
        {
            var dependents = ReplicaSets(cluster) + cluster.Pods().Count;
            if (dependents > 0)
            {
                DeploymentExists(cluster).ShouldBeTrue("the owner goes last");
                sawOwnerWaiting |= cluster.Pods().Any(J.IsTerminating);
            }
        }, maxSteps: 80);

        sawOwnerWaiting.ShouldBeTrue();
        (ReplicaSets(cluster) + cluster.Pods().Count).ShouldBe(0);
    }

    [Fact]
    public async Task Orphan_DeletesTheOwnerAndLeavesTheDependentsRunning()
    {
        await using var cluster = RunningDeployment();

        cluster.Store.Delete(ResourceTypes.Deployments, TestCluster.Ns, "web", new DeleteOptions("Orphan"));
        for (var i = 0; i < 20; i++)
        {
            cluster.Step();
        }

        DeploymentExists(cluster).ShouldBeFalse();
        var replicaSet = cluster.Store.List(ResourceTypes.ReplicaSets, TestCluster.Ns).ShouldHaveSingleItem();
        J.At(replicaSet, "metadata", "ownerReferences").ShouldBeNull();
        cluster.Pods().Count(TestCluster.IsReady).ShouldBe(2);
    }
}
