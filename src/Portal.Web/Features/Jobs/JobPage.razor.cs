using Microsoft.AspNetCore.Components;
using Portal.Core.Actions;
using Portal.Core.Jobs;

namespace Portal.Web.Features.Jobs;

/// <summary>
/// One job, live (through a <see cref="JobWatch"/>): its state, progress, steps and log. Operators may cancel it, or
/// retry it from the step that failed.
/// </summary>
public sealed partial class JobPage : IDisposable
{
    private JobWatch? _watch;
    private bool _rendered;
    private bool _started;
    private bool _mayManage;
    private bool _busy;

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    private JobService Jobs { get; set; } = default!;

    [Inject]
    private JobEvents Events { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [Inject]
    private DialogService Dialogs { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private PortalJob? Job => _watch?.Job;

    private bool Loaded => _watch is not null;

    protected override async Task OnParametersSetAsync()
    {
        if (_watch?.Id == Id)
        {
            return;
        }

        var who = await User.PrincipalAsync();
        var watch = new JobWatch(Jobs, Events, Clock, who, Id);
        await watch.LoadAsync();
        _mayManage = watch.Job is { } job && await Jobs.MayManageAsync(who, job, CancellationToken.None);
        var previous = _watch;
        _watch = watch;
        _started = false;
        previous?.Dispose();
        StartWhenReady();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Only once interactive (a prerendered page is thrown away at once and needs no updates). The first render
        // can come before the job has loaded (the load really awaits on PostgreSQL): whichever happens last starts it.
        if (firstRender)
        {
            _rendered = true;
            StartWhenReady();
        }
    }

    private void StartWhenReady()
    {
        if (_rendered && !_started && _watch is not null)
        {
            _started = true;
            _watch.Start(InvokeAsync, StateHasChanged);
        }
    }

    public void Dispose() => _watch?.Dispose();

    private async Task CancelAsync()
    {
        var confirmed = await Dialogs.Confirm(
            "Cancel this job? The step that is running finishes; the steps after it are skipped.",
            "Cancel job", new ConfirmOptions { OkButtonText = "Cancel job", CancelButtonText = "Keep it running" });
        if (confirmed == true)
        {
            await ManageAsync(Jobs.CancelAsync, "Cancellation requested");
        }
    }

    private Task RetryAsync() => ManageAsync(Jobs.RetryAsync, "Retrying from the failed step");

    private async Task ManageAsync(Func<ActorContext, Guid, CancellationToken, Task<ActionResult<PortalJob>>> action, string done)
    {
        _busy = true;
        try
        {
            var result = await action(await User.ActorAsync(), Id, CancellationToken.None);
            if (result.Succeeded)
            {
                Notifications.Notify(NotificationSeverity.Success, done, result.Describe());
            }
            else
            {
                Notifications.Notify(NotificationSeverity.Error, "Not done", result.Describe(), TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            _busy = false;
        }

        if (_watch is not null)
        {
            await _watch.RefreshAsync();
        }
    }
}
