using Microsoft.AspNetCore.Components;
using Portal.Core.Deployments;

namespace Portal.Web.Features.Deployments;

public sealed partial class ObjectChangesView
{
    [Parameter, EditorRequired]
    public IReadOnlyList<ObjectPreview> Objects { get; set; } = [];

    [Parameter]
    public string TestId { get; set; } = "object-changes";
}
