using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Tests.Kubernetes.Controllers;

/// <summary>Rollouts driven step by step on a fake clock, with the invariants checked after every controller pass.</summary>
public sealed class DeploymentControllerTests
{
    private static string Image(JsonObject pod) => J.Str(J.At(pod, "spec", "containers")![0], "image")!;

    private static List<JsonObject> Active(TestCluster cluster) => [.. cluster.Pods().Where(p => !J.IsTerminating(p))];

    private static bool RolledOut(TestCluster cluster, string image, int replicas)
    {
        var active = Active(cluster);
        var status = J.At(cluster.Store.Get(ResourceTypes.Deployments, TestCluster.Ns, "web"), "status");
        return active.Count == replicas && active.All(p => Image(p) == image && TestCluster.IsReady(p))
            && J.Long(status, "updatedReplicas") == replicas && J.Long(status, "availableReplicas") == replicas && J.Long(status, "replicas") == replicas;
    }

    private static IReadOnlyList<JsonObject> ReplicaSets(TestCluster cluster) =>
        [.. cluster.Store.List(ResourceTypes.ReplicaSets, TestCluster.Ns).OrderBy(rs => J.Str(rs, "metadata", "annotations", "deployment.kubernetes.io/revision"), StringComparer.Ordinal)];

    [Theory]
    [InlineData("1", "1", 4, 5, 3)]
    [InlineData("1", "0", 3, 4, 3)]
    [InlineData("0", "2", 4, 4, 2)]
    [InlineData("\"25%\"", "\"25%\"", 4, 5, 3)]
    [InlineData("\"50%\"", "\"50%\"", 3, 5, 2)]
    public async Task RollingUpdate_NeverExceedsMaxSurgeNorDropsBelowMaxUnavailable(string maxSurge, string maxUnavailable, int replicas, int maxPods, int minReady)
    {
        await using var cluster = new TestCluster();
        cluster.CreateDeployment("web", "web:1", replicas, $$"""{ "type": "RollingUpdate", "rollingUpdate": { "maxSurge": {{maxSurge}}, "maxUnavailable": {{maxUnavailable}} } }""");
        cluster.StepUntil(() => RolledOut(cluster, "web:1", replicas));

        cluster.SetImage("web", "web:2");
        var sawBothVersions = false;
        cluster.StepUntil(() => RolledOut(cluster, "web:2", replicas), () =>
        {
            var active = Active(cluster);
            active.Count.ShouldBeLessThanOrEqualTo(maxPods, $"pods at {cluster.Clock.GetUtcNow():HH:mm:ss.fff}: {string.Join(", ", active.Select(Image))}");
            active.Count(TestCluster.IsReady).ShouldBeGreaterThanOrEqualTo(minReady, $"ready pods at {cluster.Clock.GetUtcNow():HH:mm:ss.fff}");
            sawBothVersions |= active.Any(p => Image(p) == "web:1") && active.Any(p => Image(p) == "web:2");
        });

        sawBothVersions.ShouldBeTrue("a rolling update runs old and new pods side by side for a while");
        ReplicaSets(cluster).Select(rs => (J.Long(rs, "spec", "replicas"), J.Str(J.At(rs, "spec", "template", "spec", "containers")![0], "image")))
            .ShouldBe([(0L, "web:1"), (replicas, "web:2")]);
    }

    [Fact]
    public async Task RollingUpdate_WhenDone_ReportsCompleteStatusAndRevisions()
    {
        await using var cluster = new TestCluster();
        cluster.CreateDeployment("web", "web:1", 2);
        cluster.StepUntil(() => RolledOut(cluster, "web:1", 2));
        cluster.SetImage("web", "web:2");
        cluster.StepUntil(() => RolledOut(cluster, "web:2", 2));
        cluster.Step();

        var deployment = cluster.Store.Get(ResourceTypes.Deployments, TestCluster.Ns, "web")!;
        var conditions = J.Objects(J.At(deployment, "status", "conditions")).ToDictionary(c => J.Str(c, "type")!);
        J.Str(conditions["Available"], "status").ShouldBe("True");
        J.Str(conditions["Progressing"], "reason").ShouldBe("NewReplicaSetAvailable");
        J.Long(deployment, "status", "observedGeneration").ShouldBe(J.Long(deployment, "metadata", "generation"));
        var sets = ReplicaSets(cluster);
        sets.Select(rs => J.Str(rs, "metadata", "annotations", "deployment.kubernetes.io/revision")).ShouldBe(["1", "2"]);
        sets.ShouldAllBe(rs => J.Name(rs) == "web-" + J.Str(rs, "metadata", "labels", "pod-template-hash"));
        cluster.EventsAbout(deployment).Select(e => J.Str(e, "message")).ShouldContain($"Scaled up replica set {J.Name(sets[1])} from 0 to 1");
    }

    [Fact]
    public async Task RollBack_ToAnOldTemplate_ReusesItsReplicaSetAsTheNewestRevision()
    {
        await using var cluster = new TestCluster();
        cluster.CreateDeployment("web", "web:1", 2);
        cluster.StepUntil(() => RolledOut(cluster, "web:1", 2));
        var first = ReplicaSets(cluster).Single();
        cluster.SetImage("web", "web:2");
        cluster.StepUntil(() => RolledOut(cluster, "web:2", 2));

        cluster.SetImage("web", "web:1");
        cluster.StepUntil(() => RolledOut(cluster, "web:1", 2));

        var reused = cluster.Store.Get(ResourceTypes.ReplicaSets, TestCluster.Ns, J.Name(first))!;
        J.Uid(reused).ShouldBe(J.Uid(first));
        J.Str(reused, "metadata", "annotations", "deployment.kubernetes.io/revision").ShouldBe("3");
        cluster.Store.List(ResourceTypes.ReplicaSets, TestCluster.Ns).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Recreate_StartsNewPodsOnlyAfterEveryOldPodIsGone()
    {
        // Old pods take two seconds to stop, so a controller that does not wait for them would overlap.
        await using var cluster = new TestCluster(timings: SandboxTimings.Fast with { Termination = TimeSpan.FromSeconds(2) });
        cluster.CreateDeployment("web", "web:1", 2, """{ "type": "Recreate" }""");
        cluster.StepUntil(() => RolledOut(cluster, "web:1", 2));

        cluster.SetImage("web", "web:2");
        var sawOldTerminating = false;
        cluster.StepUntil(() => RolledOut(cluster, "web:2", 2), () =>
        {
            var pods = cluster.Pods();
            sawOldTerminating |= pods.Any(p => Image(p) == "web:1" && J.IsTerminating(p));
            if (pods.Any(p => Image(p) == "web:2"))
            {
                pods.ShouldNotContain(p => Image(p) == "web:1", $"old and new pods together at {cluster.Clock.GetUtcNow():HH:mm:ss.fff}");
            }
        });

        sawOldTerminating.ShouldBeTrue();
    }

    [Fact]
    public async Task ScaleDown_RemovesPodsUntilTheSpecIsMet()
    {
        await using var cluster = new TestCluster();
        cluster.CreateDeployment("web", "web:1", 3);
        cluster.StepUntil(() => RolledOut(cluster, "web:1", 3));

        cluster.Store.Mutate(ResourceTypes.Deployments, TestCluster.Ns, "web", d => J.Set(J.Obj(d, "spec"), "replicas", 1));
        cluster.StepUntil(() => RolledOut(cluster, "web:1", 1) && cluster.Pods().Count == 1);

        ReplicaSets(cluster).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task RevisionHistoryLimit_DeletesTheOldestIdleReplicaSets()
    {
        await using var cluster = new TestCluster();
        cluster.CreateDeployment("web", "web:1", 1);
        cluster.Store.Mutate(ResourceTypes.Deployments, TestCluster.Ns, "web", d => J.Set(J.Obj(d, "spec"), "revisionHistoryLimit", 1));
        foreach (var image in new[] { "web:1", "web:2", "web:3" })
        {
            cluster.SetImage("web", image);
            cluster.StepUntil(() => RolledOut(cluster, image, 1));
        }

        cluster.StepUntil(() => ReplicaSets(cluster).Count == 2);

        ReplicaSets(cluster).Select(rs => J.Str(rs, "metadata", "annotations", "deployment.kubernetes.io/revision")).ShouldBe(["2", "3"]);
    }

    [Fact]
    public void TemplateHash_SameTemplateInAnotherKeyOrder_IsTheSameHash_AChangedOneIsNot()
    {
        var a = JsonNode.Parse("""{ "metadata": { "labels": { "app": "web", "tier": "api" } }, "spec": { "containers": [ { "name": "web", "image": "web:1" } ] } }""")!.AsObject();
        var reordered = JsonNode.Parse("""{ "spec": { "containers": [ { "image": "web:1", "name": "web" } ] }, "metadata": { "labels": { "tier": "api", "app": "web" } } }""")!.AsObject();
        var changed = JsonNode.Parse("""{ "metadata": { "labels": { "app": "web", "tier": "api" } }, "spec": { "containers": [ { "name": "web", "image": "web:2" } ] } }""")!.AsObject();

        Portal.Sandbox.Kubernetes.Controllers.DeploymentController.TemplateHash(reordered).ShouldBe(Portal.Sandbox.Kubernetes.Controllers.DeploymentController.TemplateHash(a));
        Portal.Sandbox.Kubernetes.Controllers.DeploymentController.TemplateHash(changed).ShouldNotBe(Portal.Sandbox.Kubernetes.Controllers.DeploymentController.TemplateHash(a));
    }
}
