using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Tests.Kubernetes.Controllers;

public sealed class NamespaceControllerTests
{
    [Fact]
    public async Task Reconcile_TerminatingNamespace_DeletesItsContentsThenGoes()
    {
        // Pods take a second to stop, so the namespace is seen waiting for them.
        await using var cluster = new TestCluster(timings: SandboxTimings.Fast with { Termination = TimeSpan.FromSeconds(1) });
        cluster.CreateDeployment("web", "web:1", 2);
        cluster.Create(ResourceTypes.ConfigMaps, $$"""{ "metadata": { "name": "settings", "namespace": "{{TestCluster.Ns}}" } }""");
        cluster.Create(ResourceTypes.Namespaces, """{ "metadata": { "name": "bystander" } }""");
        cluster.Create(ResourceTypes.ConfigMaps, """{ "metadata": { "name": "settings", "namespace": "bystander" } }""");
        cluster.StepUntil(() => cluster.Pods().Count(TestCluster.IsReady) == 2);

        cluster.Store.Delete(ResourceTypes.Namespaces, null, TestCluster.Ns);
        cluster.Step();

        cluster.Store.Get(ResourceTypes.Namespaces, null, TestCluster.Ns).ShouldNotBeNull("its pods are still stopping");
        cluster.Store.Get(ResourceTypes.ConfigMaps, TestCluster.Ns, "settings").ShouldBeNull();
        cluster.Store.Get(ResourceTypes.Deployments, TestCluster.Ns, "web").ShouldBeNull();
        cluster.Pods().ShouldAllBe(p => J.IsTerminating(p));

        cluster.StepUntil(() => cluster.Store.Get(ResourceTypes.Namespaces, null, TestCluster.Ns) is null, maxSteps: 60);

        foreach (var type in ResourceTypes.All.Where(t => t.Namespaced))
        {
            cluster.Store.List(type, TestCluster.Ns).ShouldBeEmpty($"{type} left behind");
        }

        cluster.Store.Get(ResourceTypes.ConfigMaps, "bystander", "settings").ShouldNotBeNull("other namespaces are untouched");
    }
}
