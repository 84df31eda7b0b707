using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace Portal.Web.Features.Environments;

public sealed partial class EnvironmentSummaryPanel
{
    private int _hours = 24;
    private bool _editing;
    private ExpiryNotice? _notice;
    private RadzenNumeric<int>? _extendHours;

    [Parameter, EditorRequired]
    public PortalEnvironment Environment { get; set; } = default!;

    [Parameter]
    public EventCallback<PortalEnvironment> Changed { get; set; }

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private DialogService Dialogs { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [Inject]
    private EnvironmentExpiry Expiry { get; set; } = default!;

    [Inject]
    private IOptions<EnvironmentPolicyOptions> Policy { get; set; } = default!;

    /// <summary>An environment stored before quotas existed has none of its own: its namespace gets the tier's defaults.</summary>
    private string QuotaText
    {
        get
        {
            var d = Policy.Value.For(Environment.Tier).Quota;
            return Environment.Quota.IsSet ? Environment.Quota.ToString() : $"{new EnvironmentQuota(d.Cpu, d.Memory, d.Pods)} (the tier's default)";
        }
    }

    protected override void OnParametersSet() => _notice = Expiry.Notices([Environment]).FirstOrDefault();

    /// <summary>The banner's button: the extend control is further down, so take the keyboard there.</summary>
    private async Task FocusExtendAsync()
    {
        if (_extendHours is not null)
        {
            await _extendHours.FocusAsync();
        }
    }

    private async Task OnSavedAsync(PortalEnvironment changed)
    {
        _editing = false;
        Notifications.Notify(NotificationSeverity.Success, $"{changed.Name} saved.");
        await Changed.InvokeAsync(changed);
    }

    /// <summary>After an edit conflict: the page shows the latest version, and the form closes (the next Edit starts from it).</summary>
    private async Task ReloadAsync()
    {
        if (await Environments.GetAsync(await User.PrincipalAsync(), Environment.Name, CancellationToken.None) is { } latest)
        {
            _editing = false;
            await Changed.InvokeAsync(latest);
        }
    }

    private async Task ExtendAsync()
    {
        var result = await Environments.ExtendTtlAsync(await User.ActorAsync(), Environment.Name, _hours, CancellationToken.None);
        await ReportAsync(result, $"{Environment.Name} now expires in {_hours} h.");
    }

    private async Task DestroyAsync()
    {
        var confirmed = await Dialogs.Confirm(
            $"Destroy {Environment.DisplayName} ({Environment.Name})? Its namespace and everything in it will be deleted.",
            "Destroy environment", new ConfirmOptions { OkButtonText = "Destroy", CancelButtonText = "Cancel" });
        if (confirmed == true)
        {
            var result = await Environments.RequestDestroyAsync(await User.ActorAsync(), Environment.Name, CancellationToken.None);
            await ReportAsync(result, $"{Environment.Name} will be destroyed.");
        }
    }

    private async Task ReportAsync(Core.Actions.ActionResult<PortalEnvironment> result, string success)
    {
        if (result is Core.Actions.ActionResult<PortalEnvironment>.Ok ok)
        {
            Notifications.Notify(NotificationSeverity.Success, success);
            await Changed.InvokeAsync(ok.Value);
        }
        else
        {
            Notifications.Notify(NotificationSeverity.Error, "Not done", result.Describe(), TimeSpan.FromSeconds(10));
        }
    }
}
