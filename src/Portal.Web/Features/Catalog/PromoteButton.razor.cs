using Microsoft.AspNetCore.Components;
using Portal.Core.Deployments;

namespace Portal.Web.Features.Catalog;

/// <summary>Deploys the release that last succeeded in one stage (same image and parameters) to the next.</summary>
public sealed partial class PromoteButton
{
    private bool _busy;

    [Parameter, EditorRequired]
    public string Service { get; set; } = "";

    /// <summary>The stage promoted from; it has a succeeded release.</summary>
    [Parameter, EditorRequired]
    public ServiceStage From { get; set; } = default!;

    [Parameter, EditorRequired]
    public ServiceStage To { get; set; } = default!;

    [Parameter]
    public EventCallback<PromoteOutcome> Done { get; set; }

    [Inject]
    private DeploymentService Deployments { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    private string Title => $"Promote {From.LastSucceeded?.Spec.Version} from {From.Environment.Name} to {To.Environment.Name}";

    private async Task PromoteAsync()
    {
        _busy = true;
        try
        {
            var result = await Deployments.PromoteAsync(await User.ActorAsync(), Service, From.Environment.Name, To.Environment.Name, queue: false, CancellationToken.None);
            await Done.InvokeAsync(new PromoteOutcome(From.Environment.Name, To.Environment.Name, result));
        }
        finally
        {
            _busy = false;
        }
    }
}
