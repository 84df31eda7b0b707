using Microsoft.AspNetCore.Components;
using Portal.Core.Deployments;

namespace Portal.Web.Features.Deployments;

public sealed partial class ReleaseHeader
{
    [Parameter, EditorRequired]
    public Release Release { get; set; } = default!;

    /// <summary>For a rollback, the release re-applied; for a promotion, the one promoted (when the user may see it).</summary>
    [Parameter]
    public Release? Source { get; set; }

    /// <summary>When the release was last read, for the duration of what still runs.</summary>
    [Parameter]
    public DateTimeOffset Now { get; set; }
}
