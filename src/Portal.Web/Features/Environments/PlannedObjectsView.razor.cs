using Microsoft.AspNetCore.Components;
using Portal.Core.Provisioning;

namespace Portal.Web.Features.Environments;

public sealed partial class PlannedObjectsView
{
    [Parameter, EditorRequired]
    public IReadOnlyList<PlannedObject> Objects { get; set; } = [];

    private static string PartTitle(string part) => part switch
    {
        ProvisioningParts.Namespace => "Namespace",
        ProvisioningParts.ResourceQuota => "Resource quota",
        ProvisioningParts.LimitRange => "Container limits",
        ProvisioningParts.RoleBindings => "Role bindings",
        ProvisioningParts.NetworkPolicies => "Network policies",
        ProvisioningParts.ExtraManifests => "The tier's extra manifests",
        _ => part,
    };
}
