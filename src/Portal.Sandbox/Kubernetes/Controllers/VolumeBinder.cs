using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Controllers;

/// <summary>
/// The persistent volume controller and a dynamic provisioner in one: every Pending claim gets a volume of exactly
/// the size it requests at once (<c>pvc-&lt;uid&gt;</c>, as provisioners name them), and is Bound to it with the
/// annotations the binder leaves. The sandbox keeps no PersistentVolume objects: the claim is what Portal reads.
/// </summary>
internal sealed class VolumeBinder(ObjectStore store, EventRecorder events)
{
    private const string Component = "persistentvolume-controller";

    public void Reconcile()
    {
        foreach (var claim in store.List(ResourceTypes.PersistentVolumeClaims))
        {
            if (J.IsTerminating(claim) || (J.Str(claim, "status", "phase") ?? "Pending") != "Pending")
            {
                continue;
            }

            var volume = $"pvc-{J.Uid(claim)}";
            var bound = store.Mutate(ResourceTypes.PersistentVolumeClaims, J.Namespace(claim), J.Name(claim), c =>
            {
                var spec = J.Obj(c, "spec");
                spec["volumeName"] = volume;
                var annotations = J.Obj(J.Meta(c), "annotations");
                annotations["pv.kubernetes.io/bind-completed"] = "yes";
                annotations["pv.kubernetes.io/bound-by-controller"] = "yes";
                c["status"] = new JsonObject
                {
                    ["phase"] = "Bound",
                    ["accessModes"] = J.At(spec, "accessModes")?.DeepClone(),
                    ["capacity"] = new JsonObject { ["storage"] = J.Str(spec, "resources", "requests", "storage") },
                };
                return true;
            });
            if (bound is not null)
            {
                events.Normal(bound, Component, "ProvisioningSucceeded", $"Successfully provisioned volume {volume}");
            }
        }
    }
}
