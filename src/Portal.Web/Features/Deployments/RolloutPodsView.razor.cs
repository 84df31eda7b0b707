using Microsoft.AspNetCore.Components;
using Portal.Core.Deployments;

namespace Portal.Web.Features.Deployments;

public sealed partial class RolloutPodsView
{
    /// <summary>The rollout as last read; null when it could not be read yet.</summary>
    [Parameter]
    public RolloutStatus? Rollout { get; set; }

    /// <summary>Why the last read of the cluster failed, if it did.</summary>
    [Parameter]
    public string? Problem { get; set; }

    [Parameter, EditorRequired]
    public string Environment { get; set; } = "";
}
