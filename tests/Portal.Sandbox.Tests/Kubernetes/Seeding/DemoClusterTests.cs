using Microsoft.Extensions.Logging.Abstractions;
using Portal.Sandbox.Kubernetes.Controllers;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Seeding;
using Portal.Sandbox.Kubernetes.Store;
using Portal.Testing;

namespace Portal.Sandbox.Tests.Kubernetes.Seeding;

/// <summary>What the demo organisation gives the costs pages besides pods: a volume per environment and a load balancer in prod.</summary>
public sealed class DemoClusterTests : IAsyncLifetime
{
    private static readonly string[] Environments = ["dev", "test", "staging", "prod"];
    private readonly ObjectStore _store = new(new FakeClock());
    private ClusterControllers _controllers = default!;

    public Task InitializeAsync()
    {
        DemoCluster.Seed(_store);
        _controllers = new ClusterControllers(_store, SandboxTimings.Fast, NullLogger.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _controllers.DisposeAsync();

    [Fact]
    public void Seed_EveryEnvironment_HasTheOrdersDatabaseClaimBoundAt20Gi()
    {
        _controllers.ReconcileOnce();

        foreach (var env in Environments)
        {
            var claim = _store.List(ResourceTypes.PersistentVolumeClaims, env).ShouldHaveSingleItem(env);
            J.Name(claim).ShouldBe("orders-db-data");
            J.Str(claim, "spec", "resources", "requests", "storage").ShouldBe("20Gi");
            (J.Str(claim, "status", "phase"), J.Str(claim, "status", "capacity", "storage")).ShouldBe(("Bound", "20Gi"), env);
            J.Str(claim, "spec", "volumeName").ShouldBe($"pvc-{J.Uid(claim)}");
        }
    }

    [Fact]
    public void Seed_Prod_HasOneLoadBalancerWithItsAddressAndTheOthersNone()
    {
        var loadBalancers = _store.List(ResourceTypes.Services).Where(s => J.Str(s, "spec", "type") == "LoadBalancer").ToList();

        var lb = loadBalancers.ShouldHaveSingleItem();
        (J.Namespace(lb), J.Name(lb), J.Str(lb, "metadata", "labels", "portal.dev/service")).ShouldBe(("prod", "checkout-web-public", "checkout-web"));
        J.Objects(J.At(lb, "status", "loadBalancer", "ingress")).ShouldHaveSingleItem()["hostname"]!.GetValue<string>().ShouldEndWith(".elb.eu-west-1.amazonaws.com");
    }
}
