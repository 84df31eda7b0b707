using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Tests.Kubernetes.Controllers;

public sealed class VolumeBinderTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private JsonObject Claim(string name) => _cluster.Store.Get(ResourceTypes.PersistentVolumeClaims, TestCluster.Ns, name)!;

    private JsonObject CreateClaim(string name, string storage, string status = "") => _cluster.Create(ResourceTypes.PersistentVolumeClaims, $$"""
        { "metadata": { "name": "{{name}}", "namespace": "{{TestCluster.Ns}}" },
          "spec": { "accessModes": [ "ReadWriteOnce", "ReadOnlyMany" ], "storageClassName": "gp3", "resources": { "requests": { "storage": "{{storage}}" } } }
          {{status}} }
        """);

    [Fact]
    public void Reconcile_PendingClaim_IsBoundToAVolumeOfItsRequestedSize()
    {
        var created = CreateClaim("orders-db-data", "20Gi", """, "status": { "phase": "Pending" }""");

        _cluster.Step();

        var claim = Claim("orders-db-data");
        J.Str(claim, "spec", "volumeName").ShouldBe($"pvc-{J.Uid(created)}");
        J.Str(claim, "status", "phase").ShouldBe("Bound");
        J.Str(claim, "status", "capacity", "storage").ShouldBe("20Gi");
        J.At(claim, "status", "accessModes")!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe(["ReadWriteOnce", "ReadOnlyMany"]);
        J.Str(claim, "metadata", "annotations", "pv.kubernetes.io/bind-completed").ShouldBe("yes");
        var e = _cluster.EventsAbout(claim).ShouldHaveSingleItem();
        (J.Str(e, "reason"), J.Str(e, "message"), J.Str(e, "source", "component")).ShouldBe(
            ("ProvisioningSucceeded", $"Successfully provisioned volume pvc-{J.Uid(created)}", "persistentvolume-controller"));
    }

    [Fact]
    public void Reconcile_ClaimWithoutStatus_IsTreatedAsPending()
    {
        CreateClaim("scratch", "512Mi");

        _cluster.Step();

        (J.Str(Claim("scratch"), "status", "phase"), J.Str(Claim("scratch"), "status", "capacity", "storage")).ShouldBe(("Bound", "512Mi"));
    }

    [Fact]
    public void Reconcile_LostOrBoundClaims_AreLeftAlone()
    {
        CreateClaim("lost", "5Gi", """, "status": { "phase": "Lost" }""");
        _cluster.Step();
        var before = Claim("lost");

        _cluster.Step();

        J.Str(before, "status", "phase").ShouldBe("Lost");
        J.Str(before, "spec", "volumeName").ShouldBeNull();
        J.Str(Claim("lost"), "metadata", "resourceVersion").ShouldBe(J.Str(before, "metadata", "resourceVersion"), "nothing wrote it");
    }
}
