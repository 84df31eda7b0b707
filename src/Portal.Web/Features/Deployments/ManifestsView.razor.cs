using Microsoft.AspNetCore.Components;
using Portal.Core.Provisioning;

namespace Portal.Web.Features.Deployments;

public sealed partial class ManifestsView
{
    [Parameter, EditorRequired]
    public IReadOnlyList<PlannedObject> Manifests { get; set; } = [];
}
