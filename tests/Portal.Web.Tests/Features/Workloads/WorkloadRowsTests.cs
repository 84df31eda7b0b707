using System.Text.Json;
using Portal.Kubernetes.Model;
using Portal.Web.Features.Cluster;
using Portal.Web.Features.Workloads;

namespace Portal.Web.Tests.Features.Workloads;

/// <summary>What the pod, deployment and node lists compute from cluster objects, and how the pod list filters and sorts.</summary>
public sealed class WorkloadRowsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static PodRow Row(string name, string status, int restarts = 0, string node = "n1", bool healthy = true, int minutesOld = 1, string phase = "Running") =>
        new(name, status, phase, healthy ? 1 : 0, 1, restarts, null, node, "10.0.0.1", T0.AddMinutes(-minutesOld), null, healthy);

    [Fact]
    public void Select_SearchMatchesNameNodeOrStatus_CaseInsensitive()
    {
        PodRow[] rows = [Row("api-1", "Running", node: "alpha"), Row("web-1", "CrashLoopBackOff", healthy: false, node: "beta"), Row("db-1", "Running", node: "beta")];

        PodsTable.Select(rows, "BETA", "All", "name", false).Select(r => r.Name).ShouldBe(["db-1", "web-1"]);
        PodsTable.Select(rows, "crash", "All", "name", false).Select(r => r.Name).ShouldBe(["web-1"]);
        PodsTable.Select(rows, "api", "All", "name", false).Select(r => r.Name).ShouldBe(["api-1"]);
    }

    [Fact]
    public void Select_StatusFilterAndSortByRestartsDescending()
    {
        PodRow[] rows = [Row("a", "Running", restarts: 1), Row("b", "CrashLoopBackOff", restarts: 7, healthy: false), Row("c", "Pending", healthy: false, phase: "Pending"), Row("d", "Running", restarts: 3)];

        PodsTable.Select(rows, "", "Not healthy", "name", false).Select(r => r.Name).ShouldBe(["b", "c"]);
        PodsTable.Select(rows, "", "Pending", "name", false).Select(r => r.Name).ShouldBe(["c"]);
        PodsTable.Select(rows, "", "All", "restarts", true).Select(r => r.Name).ShouldBe(["b", "d", "a", "c"]);
        PodsTable.Select(rows, "", "Running", "age", false).Select(r => r.Name).ShouldBe(["a", "d"]);
    }

    [Fact]
    public void PodRow_CrashLoopingPod_ShowsWaitingReasonRestartsAndDeployment()
    {
        var pod = JsonSerializer.Deserialize("""
            { "metadata": { "name": "rec-5d4b8c7f9-abcde", "namespace": "dev", "ownerReferences": [ { "kind": "ReplicaSet", "name": "rec-5d4b8c7f9", "uid": "u", "controller": true } ] },
              "spec": { "nodeName": "n1", "containers": [ { "name": "rec", "image": "rec:1-crash" } ] },
              "status": { "phase": "Running", "podIP": "10.1.2.3",
                          "containerStatuses": [ { "name": "rec", "ready": false, "restartCount": 4,
                                                   "state": { "waiting": { "reason": "CrashLoopBackOff" } },
                                                   "lastState": { "terminated": { "exitCode": 1, "reason": "Error", "finishedAt": "2026-11-22T08:59:00Z" } } } ] } }
            """, KubernetesJson.Default.Pod)!;

        var row = PodRow.From(pod);

        row.Status.ShouldBe("CrashLoopBackOff");
        row.Ready.ShouldBe("0/1");
        row.Restarts.ShouldBe(4);
        row.LastRestart.ShouldBe(T0.AddMinutes(-1));
        row.Deployment.ShouldBe("rec");
        row.Healthy.ShouldBeFalse();
    }

    [Theory]
    [InlineData(3, 3, 3, 3, 2, 2, "NewReplicaSetAvailable", false, "Complete")]
    [InlineData(3, 1, 3, 2, 2, 2, "ReplicaSetUpdated", false, "Progressing")]
    [InlineData(3, 3, 3, 3, 2, 1, "NewReplicaSetAvailable", false, "Progressing")]
    [InlineData(3, 3, 3, 3, 2, 2, "ProgressDeadlineExceeded", false, "Failed")]
    [InlineData(3, 3, 3, 3, 2, 2, "NewReplicaSetAvailable", true, "Paused")]
    public void DeploymentRow_RolloutState(int desired, int updated, int replicas, int available, long generation, long observed, string progressing, bool paused, string expected)
    {
        var json = $$"""
            { "metadata": { "name": "web", "generation": {{generation}}, "annotations": { "deployment.kubernetes.io/revision": "4" } },
              "spec": { "replicas": {{desired}}, "paused": {{(paused ? "true" : "false")}}, "template": { "spec": { "containers": [ { "name": "web", "image": "web:2" } ] } } },
              "status": { "observedGeneration": {{observed}}, "replicas": {{replicas}}, "updatedReplicas": {{updated}}, "readyReplicas": {{available}}, "availableReplicas": {{available}},
                          "conditions": [ { "type": "Available", "status": "True" }, { "type": "Progressing", "status": "True", "reason": "{{progressing}}" } ] } }
            """;

        var row = DeploymentRow.From(JsonSerializer.Deserialize(json, KubernetesJson.Default.Deployment)!);

        row.Rollout.ShouldBe(expected);
        row.Revision.ShouldBe("4");
        row.Images.ShouldBe(["web:2"]);
    }

    [Fact]
    public void NodeRow_RequestedUsedAllocatableAndCapacity()
    {
        var node = JsonSerializer.Deserialize("""
            { "metadata": { "name": "n1", "labels": { "topology.kubernetes.io/zone": "eu-west-1a", "node.kubernetes.io/instance-type": "m5.xlarge" } },
              "status": { "capacity": { "cpu": "4", "memory": "16Gi" }, "allocatable": { "cpu": "3920m", "memory": "15Gi" },
                          "conditions": [ { "type": "Ready", "status": "True" } ], "nodeInfo": { "kubeletVersion": "v1.32.0" } } }
            """, KubernetesJson.Default.Node)!;

        var row = ClusterPage.NodeRowOf(node, (980, 3L << 30, 7), new Dictionary<string, (long, long)> { ["n1"] = (500, 2L << 30) });

        row.Status.ShouldBe("Ready");
        row.Zone.ShouldBe("eu-west-1a");
        row.InstanceType.ShouldBe("m5.xlarge");
        row.Cpu.ShouldBe("requested 980m · used 500m / 3920m of 4");
        row.Memory.ShouldBe("requested 3 GiB · used 2 GiB / 15 GiB of 16 GiB");
        row.CpuRequestedPercent.ShouldBe(25);
        row.MemoryRequestedPercent.ShouldBe(20);
        row.Pods.ShouldBe(7);
    }
}
