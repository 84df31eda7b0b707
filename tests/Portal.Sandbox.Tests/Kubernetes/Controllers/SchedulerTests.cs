using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Tests.Kubernetes.Controllers;

public sealed class SchedulerTests
{
    private const string TwoCpus = """{ "requests": { "cpu": "2", "memory": "64Mi" } }""";

    private static JsonObject Pod(TestCluster cluster, string name) => cluster.Store.Get(ResourceTypes.Pods, TestCluster.Ns, name)!;

    private static JsonObject? Condition(JsonObject pod, string type) =>
        J.Objects(J.At(pod, "status", "conditions")).FirstOrDefault(c => J.Str(c, "type") == type);

    [Fact]
    public async Task Reconcile_PodThatFitsNowhere_StaysPendingWithAFailedSchedulingEvent()
    {
        await using var cluster = new TestCluster(nodes: 1, cpu: "1");
        cluster.CreatePod("big", "app:1", resources: TwoCpus);

        cluster.Step();

        var pod = Pod(cluster, "big");
        J.Str(pod, "spec", "nodeName").ShouldBeNull();
        J.Str(pod, "status", "phase").ShouldBe("Pending");
        var scheduled = Condition(pod, "PodScheduled").ShouldNotBeNull();
        J.Str(scheduled, "status").ShouldBe("False");
        J.Str(scheduled, "reason").ShouldBe("Unschedulable");
        J.Str(scheduled, "message").ShouldStartWith("0/1 nodes are available: 1 Insufficient cpu.");
        var failed = cluster.EventsAbout(pod).ShouldHaveSingleItem();
        (J.Str(failed, "type"), J.Str(failed, "reason"), J.Str(failed, "source", "component")).ShouldBe(("Warning", "FailedScheduling", "default-scheduler"));
        J.Str(failed, "message").ShouldBe(J.Str(scheduled, "message"));
    }

    [Fact]
    public async Task Reconcile_UnschedulablePod_IsTriedAgainAndBoundOnceANodeFits()
    {
        await using var cluster = new TestCluster(nodes: 1, cpu: "1");
        cluster.CreatePod("big", "app:1", resources: TwoCpus);
        cluster.Step();

        cluster.Store.Create(ResourceTypes.Nodes, TestCluster.Node("large", "8", "32Gi"));
        cluster.StepUntil(() => J.Str(Pod(cluster, "big"), "spec", "nodeName") is not null, maxSteps: 40);

        var pod = Pod(cluster, "big");
        J.Str(pod, "spec", "nodeName").ShouldBe("large");
        J.Str(Condition(pod, "PodScheduled"), "status").ShouldBe("True");
        cluster.EventsAbout(pod).Select(e => J.Str(e, "message")).ShouldContain($"Successfully assigned {TestCluster.Ns}/big to large");
    }

    [Fact]
    public async Task Reconcile_CountsWhatIsAlreadyRunning_AndPicksTheLeastAllocatedNode()
    {
        await using var cluster = new TestCluster(nodes: 2, cpu: "4");
        cluster.CreatePod("first", "app:1", nodeName: "node-1", resources: """{ "requests": { "cpu": "3" } }""");

        cluster.CreatePod("second", "app:1", resources: TwoCpus);
        cluster.Step();
        cluster.CreatePod("third", "app:1", resources: TwoCpus);
        cluster.Step();
        cluster.CreatePod("fourth", "app:1", resources: TwoCpus);
        cluster.Step();

        J.Str(Pod(cluster, "second"), "spec", "nodeName").ShouldBe("node-2");
        J.Str(Pod(cluster, "third"), "spec", "nodeName").ShouldBe("node-2");
        J.Str(Pod(cluster, "fourth"), "spec", "nodeName").ShouldBeNull("node-1 has 1 cpu left and node-2 none");
        J.Str(Condition(Pod(cluster, "fourth"), "PodScheduled"), "message").ShouldStartWith("0/2 nodes are available: 2 Insufficient cpu.");
    }

    [Fact]
    public async Task Reconcile_NodeSelectorNoNodeMatches_SaysSo()
    {
        await using var cluster = new TestCluster(nodes: 2);
        cluster.Create(ResourceTypes.Pods, $$"""
            { "metadata": { "name": "picky", "namespace": "{{TestCluster.Ns}}" },
              "spec": { "nodeSelector": { "disk": "ssd" }, "containers": [ { "name": "app", "image": "app:1" } ] } }
            """);

        cluster.Step();

        J.Str(Condition(Pod(cluster, "picky"), "PodScheduled"), "message").ShouldStartWith("0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.");
    }

    [Fact]
    public async Task Reconcile_CordonedNode_IsSkipped()
    {
        await using var cluster = new TestCluster(nodes: 2);
        cluster.Store.Mutate(ResourceTypes.Nodes, null, "node-1", n => J.Set(J.Obj(n, "spec"), "unschedulable", true));

        foreach (var name in new[] { "a", "b", "c" })
        {
            cluster.CreatePod(name, "app:1");
        }

        cluster.Step();

        cluster.Pods().Select(p => J.Str(p, "spec", "nodeName")).ShouldAllBe(n => n == "node-2");
    }
}
