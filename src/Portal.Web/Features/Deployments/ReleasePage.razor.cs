using Microsoft.AspNetCore.Components;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Deployments;
using Portal.Core.Jobs;

namespace Portal.Web.Features.Deployments;

/// <summary>
/// One release, live (through a <see cref="ReleaseWatch"/>): its facts, its rollout over time and the pods now,
/// why it failed and the one-click way back to the last good release, the diff from the release before it, and
/// its manifests. A good release the cluster no longer runs can be rolled back to.
/// </summary>
public sealed partial class ReleasePage : IDisposable
{
    private ReleaseWatch? _watch;
    private ReleaseComparison? _comparison;
    private Release? _source;
    private ActionProblem? _problem;
    private bool _mayRollback;
    private bool _rendered;
    private bool _started;
    private bool _busy;

    [Parameter]
    public string Env { get; set; } = "";

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    private DeploymentService Deployments { get; set; } = default!;

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private PortalActions Actions { get; set; } = default!;

    [Inject]
    private JobEvents Events { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private DialogService Dialogs { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private string Title => _watch?.Release is { } r ? $"{r.Service} #{r.Number}" : "Release";

    protected override async Task OnParametersSetAsync()
    {
        if (_watch?.Id == Id && _watch.Environment == Env)
        {
            return;
        }

        var who = await User.PrincipalAsync();
        var watch = new ReleaseWatch(Deployments, Events, Clock, who, Env, Id);
        await watch.LoadAsync();
        _problem = null;
        _comparison = null;
        _source = null;
        _mayRollback = false;
        if (watch.Release is { } release)
        {
            _comparison = watch.History.Previous is { } previous ? await Deployments.CompareAsync(who, previous.Id, release.Id, CancellationToken.None) : null;
            _source = release.Source is { } source ? await SourceAsync(who, release, source) : null;
            _mayRollback = await Environments.GetAsync(who, Env, CancellationToken.None) is { } environment
                && (await Actions.CheckAsync(who, Permissions.DeploymentsRollback, environment.Ref, CancellationToken.None)).Allowed;
        }

        var old = _watch;
        _watch = watch;
        _started = false;
        old?.Dispose();
        StartWhenReady();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Only once interactive (a prerendered page is thrown away at once); whichever of load and render is last starts it.
        if (firstRender)
        {
            _rendered = true;
            StartWhenReady();
        }
    }

    public void Dispose() => _watch?.Dispose();

    private void StartWhenReady()
    {
        if (_rendered && !_started && _watch is not null)
        {
            _started = true;
            _watch.Start(InvokeAsync, StateHasChanged);
        }
    }

    /// <summary>What a rollback re-applied (same environment) or a promotion brought over (another one, if the user may see it).</summary>
    private async Task<Release?> SourceAsync(PortalPrincipal who, Release release, Guid source) =>
        await Deployments.GetAsync(who, Env, source, CancellationToken.None)
        ?? (await Deployments.HistoryAsync(who, release.Service, CancellationToken.None)).FirstOrDefault(r => r.Id == source);

    private async Task ConfirmRollbackAsync(Release target)
    {
        var confirmed = await Dialogs.Confirm(
            $"Roll {target.Service} in {target.Environment} back to #{target.Number} ({target.Spec.Version})? Its manifests are applied again exactly as they were.",
            "Roll back", new ConfirmOptions { OkButtonText = "Roll back", CancelButtonText = "Cancel" });
        if (confirmed == true)
        {
            await RollbackAsync(target);
        }
    }

    private async Task RollbackAsync(Release target)
    {
        _busy = true;
        _problem = null;
        try
        {
            var result = await Deployments.RollbackAsync(await User.ActorAsync(), Env, target.Id, queue: false, CancellationToken.None);
            if (result is ActionResult<DeployOutcome>.Ok ok)
            {
                Navigation.NavigateTo(ReleaseFormat.Link(ok.Value.Release));
                return;
            }

            _problem = ActionProblem.From(result, $"roll back to #{target.Number}") ?? new ActionProblem("invalid", $"Cannot roll back to #{target.Number}", result.Describe());
        }
        finally
        {
            _busy = false;
        }
    }
}
