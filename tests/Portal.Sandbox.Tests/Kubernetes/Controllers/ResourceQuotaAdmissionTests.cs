using System.Net;
using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Tests.Kubernetes.Controllers;

public sealed class ResourceQuotaAdmissionTests
{
    private const string SixHundredMillicores = """{ "requests": { "cpu": "600m" } }""";

    private static TestCluster WithQuota(string hard)
    {
        var cluster = new TestCluster();
        cluster.Create(ResourceTypes.ResourceQuotas, $$"""{ "metadata": { "name": "q", "namespace": "{{TestCluster.Ns}}" }, "spec": { "hard": {{hard}} } }""");
        return cluster;
    }

    [Fact]
    public async Task Admit_PodBeyondTheCpuQuota_IsForbiddenWithWhatWasRequestedUsedAndLimited()
    {
        await using var cluster = WithQuota("""{ "requests.cpu": "1" }""");
        cluster.CreatePod("first", "app:1", resources: SixHundredMillicores);

        var error = Should.Throw<StatusError>(() => cluster.CreatePod("second", "app:1", resources: SixHundredMillicores));

        error.Code.ShouldBe(HttpStatusCode.Forbidden);
        error.Reason.ShouldBe("Forbidden");
        error.Message.ShouldBe("pods \"second\" is forbidden: exceeded quota: q, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1");
        cluster.Store.Get(ResourceTypes.Pods, TestCluster.Ns, "second").ShouldBeNull();
    }

    [Fact]
    public async Task Admit_PodCountQuota_RefusesTheOneTooMany()
    {
        await using var cluster = WithQuota("""{ "pods": "2" }""");
        cluster.CreatePod("a", "app:1");
        cluster.CreatePod("b", "app:1");

        Should.Throw<StatusError>(() => cluster.CreatePod("c", "app:1")).Message
            .ShouldBe("pods \"c\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2");
    }

    [Fact]
    public async Task Admit_PodWithoutTheRequestAQuotaLimits_MustSpecifyIt()
    {
        await using var cluster = WithQuota("""{ "requests.memory": "1Gi" }""");

        Should.Throw<StatusError>(() => cluster.CreatePod("p", "app:1")).Message
            .ShouldBe("pods \"p\" is forbidden: failed quota: q: must specify requests.memory for: app");
    }

    [Fact]
    public async Task Admit_TerminatingPods_NoLongerCount()
    {
        await using var cluster = WithQuota("""{ "requests.cpu": "1" }""");
        cluster.CreatePod("first", "app:1", nodeName: "node-1", resources: SixHundredMillicores);

        cluster.Store.Delete(ResourceTypes.Pods, TestCluster.Ns, "first");

        J.Uid(cluster.CreatePod("second", "app:1", resources: SixHundredMillicores)).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task ReplicaSet_RefusedByTheQuota_RecordsFailedCreateAndKeepsWhatFits()
    {
        await using var cluster = WithQuota("""{ "requests.cpu": "1" }""");
        cluster.CreateDeployment("web", "web:1", 2, resources: SixHundredMillicores);

        for (var i = 0; i < 20; i++)
        {
            cluster.Step();
        }

        cluster.Pods().Count.ShouldBe(1);
        var replicaSet = cluster.Store.List(ResourceTypes.ReplicaSets, TestCluster.Ns).ShouldHaveSingleItem();
        var failed = cluster.EventsAbout(replicaSet).Where(e => J.Str(e, "reason") == "FailedCreate").ToList();
        failed.Count.ShouldBeGreaterThan(1, "the controller keeps trying");
        failed.ShouldAllBe(e => J.Str(e, "type") == "Warning");
        J.Str(failed[0], "message")!.ShouldMatch($"^Error creating: pods \"{J.Name(replicaSet)}-[a-z0-9]{{5}}\" is forbidden: exceeded quota: q, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1$");
    }

    [Fact]
    public async Task ReplicaSet_RefusedByTheQuota_ShowsReplicaFailureOnItAndItsDeploymentUntilItFits()
    {
        await using var cluster = WithQuota("""{ "requests.cpu": "1" }""");
        cluster.CreateDeployment("web", "web:1", 2, resources: SixHundredMillicores);
        for (var i = 0; i < 20; i++)
        {
            cluster.Step();
        }

        var replicaSet = cluster.Store.List(ResourceTypes.ReplicaSets, TestCluster.Ns).ShouldHaveSingleItem();
        var failure = ReplicaFailure(replicaSet).ShouldNotBeNull();
        J.Str(failure, "status").ShouldBe("True");
        J.Str(failure, "reason").ShouldBe("FailedCreate");
        J.Str(failure, "message")!.ShouldMatch($"^pods \"{J.Name(replicaSet)}-[a-z0-9]{{5}}\" is forbidden: exceeded quota: q, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1$");
        var mirrored = ReplicaFailure(cluster.Store.Get(ResourceTypes.Deployments, TestCluster.Ns, "web")!).ShouldNotBeNull();
        (J.Str(mirrored, "status"), J.Str(mirrored, "reason"), J.Str(mirrored, "message"), J.Str(mirrored, "lastTransitionTime"), J.Str(mirrored, "lastUpdateTime"))
            .ShouldBe(("True", "FailedCreate", J.Str(failure, "message"), J.Str(failure, "lastTransitionTime"), J.Str(failure, "lastTransitionTime")));

        for (var i = 0; i < 20; i++)
        {
            cluster.Step();
        }

        J.Str(ReplicaFailure(cluster.Store.Get(ResourceTypes.ReplicaSets, TestCluster.Ns, J.Name(replicaSet))!), "lastTransitionTime")
            .ShouldBe(J.Str(failure, "lastTransitionTime"), "a failure that goes on keeps the time it started");

        cluster.Store.Mutate(ResourceTypes.ResourceQuotas, TestCluster.Ns, "q", q => J.Set(J.Obj(q, "spec", "hard"), "requests.cpu", "2"));
        cluster.StepUntil(() => cluster.Pods().Count == 2
            && ReplicaFailure(cluster.Store.Get(ResourceTypes.ReplicaSets, TestCluster.Ns, J.Name(replicaSet))!) is null
            && ReplicaFailure(cluster.Store.Get(ResourceTypes.Deployments, TestCluster.Ns, "web")!) is null);
    }

    private static JsonObject? ReplicaFailure(JsonObject o) =>
        J.Objects(J.At(o, "status", "conditions")).FirstOrDefault(c => J.Str(c, "type") == "ReplicaFailure");

    [Fact]
    public async Task QuotaController_ReportsWhatIsUsed()
    {
        await using var cluster = WithQuota("""{ "requests.cpu": "2", "pods": "10" }""");
        cluster.CreatePod("a", "app:1", resources: SixHundredMillicores);
        cluster.CreatePod("b", "app:1", resources: SixHundredMillicores);

        cluster.Step();

        var quota = cluster.Store.Get(ResourceTypes.ResourceQuotas, TestCluster.Ns, "q")!;
        J.StringMap(J.At(quota, "status", "used")).ShouldBe(new Dictionary<string, string> { ["requests.cpu"] = "1200m", ["pods"] = "2" }, ignoreOrder: true);
        J.StringMap(J.At(quota, "status", "hard")).ShouldBe(new Dictionary<string, string> { ["requests.cpu"] = "2", ["pods"] = "10" }, ignoreOrder: true);
    }
}
