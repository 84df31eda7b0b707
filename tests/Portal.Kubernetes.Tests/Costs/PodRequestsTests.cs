using System.Text.Json;
using Portal.Kubernetes.Costs;
using Portal.Kubernetes.Model;

namespace Portal.Kubernetes.Tests.Costs;

/// <summary>A pod's requests as the scheduler counts them, on real pods and on the init-container cases one at a time.</summary>
public sealed class PodRequestsTests
{
    private const decimal Mi = 1024m * 1024;

    private static string Reference(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", file));

    private static PodSpec Spec(string json) => JsonSerializer.Deserialize(json, KubernetesJson.Default.Pod)!.Spec!;

    private static string Container(string name, string cpu, string memory, string extra = "") =>
        $$"""{ "name": "{{name}}", "image": "x", {{extra}} "resources": { "requests": { "cpu": "{{cpu}}", "memory": "{{memory}}" } } }""";

    private static PodSpec Pod(string[] containers, string[]? init = null, string extra = "") => Spec($$"""
        { "metadata": { "name": "p" },
          "spec": { {{extra}} "containers": [ {{string.Join(",", containers)}} ], "initContainers": [ {{string.Join(",", init ?? [])}} ] } }
        """);

    [Fact]
    public void Of_RealPod_IsItsContainersRequests()
    {
        var spec = JsonSerializer.Deserialize(Reference("k9s-po.json"), KubernetesJson.Default.Pod)!.Spec!;

        PodRequests.Of(spec).ShouldBe((0.1m, 70 * Mi));
    }

    [Fact]
    public void Of_RealPodWithInitContainerAndSidecar_IsTheLargerOfTheInitStepAndAppPlusSidecar()
    {
        // app 30m/10Mi, init 333m/333Mi, sidecar 20m/40Mi: the init step needs more than app + sidecar on both.
        var spec = JsonSerializer.Deserialize(Reference("k9s-po_sidecar.json"), KubernetesJson.Default.Pod)!.Spec!;

        PodRequests.Of(spec).ShouldBe((0.333m, 333 * Mi));
    }

    [Fact]
    public void Of_AppContainersAboveTheLargestInitContainer_IsTheAppSum()
    {
        var spec = Pod([Container("a", "300m", "256Mi"), Container("b", "200m", "256Mi")], [Container("i1", "400m", "100Mi"), Container("i2", "100m", "400Mi")]);

        PodRequests.Of(spec).ShouldBe((0.5m, 512 * Mi));
    }

    [Fact]
    public void Of_InitContainerAboveTheAppSum_IsTheLargestInitContainerPerResource()
    {
        var spec = Pod([Container("a", "100m", "64Mi")], [Container("i1", "1", "32Mi"), Container("i2", "250m", "1Gi")]);

        PodRequests.Of(spec).ShouldBe((1m, 1024 * Mi), "each resource takes its own maximum: CPU from i1, memory from i2");
    }

    [Fact]
    public void Of_SidecarBeforeAnInitContainer_RunsBesideItAndBesideTheApp()
    {
        var sidecar = Container("proxy", "100m", "100Mi", "\"restartPolicy\": \"Always\",");
        var spec = Pod([Container("a", "200m", "100Mi")], [sidecar, Container("migrate", "500m", "50Mi")]);

        // app + sidecar = 300m/200Mi; the migration runs with the sidecar already up: 600m/150Mi.
        PodRequests.Of(spec).ShouldBe((0.6m, 200 * Mi));
    }

    [Fact]
    public void Of_SidecarAfterAnInitContainer_DoesNotAddToIt()
    {
        var sidecar = Container("proxy", "100m", "100Mi", "\"restartPolicy\": \"Always\",");
        var spec = Pod([Container("a", "200m", "100Mi")], [Container("migrate", "500m", "50Mi"), sidecar]);

        PodRequests.Of(spec).ShouldBe((0.5m, 200 * Mi));
    }

    [Fact]
    public void Of_PodOverhead_IsAddedOnTop()
    {
        var spec = Pod([Container("a", "200m", "100Mi")], extra: """ "overhead": { "cpu": "250m", "memory": "120Mi" }, """);

        PodRequests.Of(spec).ShouldBe((0.45m, 220 * Mi));
    }

    [Fact]
    public void Of_ContainersWithoutRequests_AreZero()
    {
        var spec = Spec("""{ "spec": { "containers": [ { "name": "a", "image": "x" } ] } }""");

        PodRequests.Of(spec).ShouldBe((0m, 0m));
    }
}
