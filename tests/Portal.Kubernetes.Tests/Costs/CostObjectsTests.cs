using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Core.Costs;
using Portal.Kubernetes.Costs;
using Portal.Kubernetes.Model;

namespace Portal.Kubernetes.Tests.Costs;

/// <summary>How real objects (reference data recorded from clusters) read for cost.</summary>
public sealed class CostObjectsTests
{
    private static string Reference(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", file));

    private static Node NodeWith(string labels, string status) =>
        JsonSerializer.Deserialize($$"""{ "metadata": { "name": "n", "labels": {{labels}} }, "status": {{status}} }""", KubernetesJson.Default.Node)!;

    [Fact]
    public void Node_RealNode_IsItsCapacity()
    {
        var node = CostObjects.Node(JsonSerializer.Deserialize(Reference("k9s-no.json"), KubernetesJson.Default.Node)!);

        node.Name.ShouldBe("minikube");
        node.InstanceType.ShouldBeNull("minikube sets no instance-type label");
        node.CpuCores.ShouldBe(4);
        node.MemoryGiB.ShouldBe(8165556d / (1024 * 1024), 1e-12, "capacity 8165556Ki, not the smaller allocatable");
    }

    [Fact]
    public void Node_InstanceType_ComesFromTheGaLabelBeforeTheBetaOne()
    {
        const string Capacity = """{ "capacity": { "cpu": "2", "memory": "8Gi" } }""";

        CostObjects.Node(NodeWith("""{ "node.kubernetes.io/instance-type": "m5.xlarge", "beta.kubernetes.io/instance-type": "m4.xlarge" }""", Capacity))
            .InstanceType.ShouldBe("m5.xlarge");
        CostObjects.Node(NodeWith("""{ "beta.kubernetes.io/instance-type": "m4.xlarge" }""", Capacity)).InstanceType.ShouldBe("m4.xlarge");
    }

    [Fact]
    public void Node_WithoutCapacity_FallsBackToAllocatable()
    {
        var node = CostObjects.Node(NodeWith("{}", """{ "allocatable": { "cpu": "3920m", "memory": "15Gi" } }"""));

        (node.CpuCores, node.MemoryGiB).ShouldBe((3.92, 15d));
    }

    [Fact]
    public void Volume_RealBoundClaim_IsTheBoundVolumesSizeNotTheRequest()
    {
        var claim = JsonSerializer.Deserialize(Reference("k9s-pvc.json"), CostJson.Default.PersistentVolumeClaim)!;

        CostObjects.Volume(claim).ShouldBe(new VolumeSnapshot("default", "www-nginx-sts-0", 1d));
    }

    [Theory]
    [InlineData("Pending")]
    [InlineData("Lost")]
    public void Volume_ClaimNotBound_IsNotAVolume(string phase)
    {
        var claim = JsonNode.Parse(Reference("k9s-pvc.json"))!;
        claim["status"]!["phase"] = phase;

        CostObjects.Volume(JsonSerializer.Deserialize(claim.ToJsonString(), CostJson.Default.PersistentVolumeClaim)!).ShouldBeNull();
    }

    [Fact]
    public void PersistentVolumeClaim_EveryFieldPopulated_ReadsTheModelledFieldsAndRoundTripsTheRest()
    {
        var original = JsonNode.Parse(Reference("core.v1.PersistentVolumeClaim.json"))!;

        var claim = JsonSerializer.Deserialize(original.ToJsonString(), CostJson.Default.PersistentVolumeClaim)!;

        (claim.Spec!.VolumeName, claim.Spec.StorageClassName, claim.Status!.Phase).ShouldBe(("26", "27", "gɸ=ǤÆ碛,1ZƜ/C龷Ȫ"));
        claim.Spec.Resources!.Requests!.Values.ShouldBe(["713"]);
        claim.Status.Capacity!.ShouldContainKeyAndValue("{囥", "721");
        var written = JsonSerializer.Serialize(claim, CostJson.Default.PersistentVolumeClaim);
        JsonNode.DeepEquals(original, JsonNode.Parse(written)).ShouldBeTrue($"round trip changed the object:\n{written}");
    }

    [Fact]
    public void Usage_RealMetricsServerAnswer_SumsNanocoresAndKibibytes()
    {
        var list = JsonSerializer.Deserialize(Reference("metrics-server-PodMetricsList.json"), KubernetesJson.Default.KubeListPodMetrics)!;

        var metrics = list.Items.ShouldHaveSingleItem();
        (metrics.Metadata.Namespace, metrics.Metadata.Name).ShouldBe(("homework", "test-deployment-2-86c584dcc8-plnhl"));
        var (cpu, memory) = CostObjects.Usage(metrics);
        cpu.ShouldBe(0.000429151, 1e-15);
        memory.ShouldBe(408d / (1024 * 1024), 1e-15);
    }

    [Fact]
    public void Controller_RealReplicaSet_IsItsDeployment()
    {
        var rs = JsonSerializer.Deserialize(Reference("k9s-rs.json"), KubernetesJson.Default.ReplicaSet)!;

        CostObjects.Controller(rs).ShouldBe(("Deployment", "icx-db", "6f6143bc-a5f3-11e9-990f-42010a800218"));
    }

    [Fact]
    public void Controller_OwnerThatIsNotTheController_IsNone()
    {
        var claim = JsonSerializer.Deserialize(Reference("core.v1.PersistentVolumeClaim.json"), CostJson.Default.PersistentVolumeClaim)!;

        CostObjects.Controller(claim).ShouldBeNull("its only owner reference says controller: false");
    }

    [Fact]
    public void LoadBalancer_OnlyServicesOfThatType_ChargedToPortalsServiceLabelElseTheirName()
    {
        static Service Svc(string type, string labels = "{}") => JsonSerializer.Deserialize(
            $$"""{ "metadata": { "name": "web-public", "namespace": "prod", "labels": {{labels}} }, "spec": { "type": "{{type}}" } }""", KubernetesJson.Default.Service)!;

        CostObjects.LoadBalancer(Svc("ClusterIP")).ShouldBeNull();
        CostObjects.LoadBalancer(Svc("NodePort")).ShouldBeNull();
        CostObjects.LoadBalancer(Svc("LoadBalancer")).ShouldBe(new NetworkSnapshot("prod", "web-public", NetworkKind.LoadBalancer, "web-public"));
        CostObjects.LoadBalancer(Svc("LoadBalancer", """{ "portal.dev/service": "checkout-web" }""")).ShouldBe(
            new NetworkSnapshot("prod", "web-public", NetworkKind.LoadBalancer, "checkout-web"));
    }

    [Fact]
    public void Ingress_WithoutPortalsLabel_IsChargedToTheFirstServiceItRoutesTo()
    {
        var ingress = JsonSerializer.Deserialize("""
            { "metadata": { "name": "shop", "namespace": "prod" },
              "spec": { "defaultBackend": { "service": { "name": "fallback", "port": { "number": 80 } } },
                        "rules": [ { "host": "a.test" }, { "host": "b.test", "http": { "paths": [ { "path": "/", "pathType": "Prefix", "backend": { "service": { "name": "storefront", "port": { "name": "http" } } } } ] } } ] } }
            """, KubernetesJson.Default.Ingress)!;

        CostObjects.Ingress(ingress).ShouldBe(new NetworkSnapshot("prod", "shop", NetworkKind.Ingress, "storefront"));
    }
}
