using Microsoft.AspNetCore.Components;
using Portal.Core.Deployments;

namespace Portal.Web.Features.Catalog;

public sealed partial class ReleaseComparisonView
{
    private ReleaseComparison? _comparison;
    private (Guid, Guid)? _loadedFor;
    private bool _loaded;

    /// <summary>The older release.</summary>
    [Parameter, EditorRequired]
    public Guid From { get; set; }

    /// <summary>The newer release: its objects are the right-hand side.</summary>
    [Parameter, EditorRequired]
    public Guid To { get; set; }

    /// <summary>Where "Close comparison" goes (the same view without the pair).</summary>
    [Parameter, EditorRequired]
    public string CloseUri { get; set; } = "";

    [Inject]
    private DeploymentService Deployments { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == (From, To))
        {
            return;
        }

        _comparison = await Deployments.CompareAsync(await User.PrincipalAsync(), From, To, CancellationToken.None);
        _loadedFor = (From, To);
        _loaded = true;
    }

    private static string Describe(Release r) => $"#{r.Number} in {r.Environment} ({r.Spec.Version})";
}
