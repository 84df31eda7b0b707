using Microsoft.AspNetCore.Components;
using Portal.Core.Deployments;

namespace Portal.Web.Features.Deployments;

public sealed partial class DeployPreviewView
{
    [Parameter, EditorRequired]
    public DeployPreview Preview { get; set; } = default!;

    [Parameter, EditorRequired]
    public string Environment { get; set; } = "";
}
