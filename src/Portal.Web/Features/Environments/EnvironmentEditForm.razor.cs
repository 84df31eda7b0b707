using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Audit;

namespace Portal.Web.Features.Environments;

/// <summary>Changes an environment's display name, team, cost centre, budget, labels, quota and deploy settings, against the version
/// the user saw: a concurrent change is a conflict with a message, never a silent overwrite. Labels and quota are sent
/// only when changed, since changing them runs a job on the cluster.</summary>
public sealed partial class EnvironmentEditForm
{
    private EnvironmentForm _form = new();
    private IReadOnlyDictionary<string, string> _originalLabels = new Dictionary<string, string>();
    private QuotaRequest _originalQuota = new();
    private EditContext _edit = default!;
    private ValidationMessageStore _messages = default!;
    private string? _message;
    private string? _conflict;

    [Parameter, EditorRequired]
    public PortalEnvironment Environment { get; set; } = default!;

    [Parameter]
    public EventCallback<PortalEnvironment> Saved { get; set; }

    [Parameter]
    public EventCallback Closed { get; set; }

    /// <summary>Asked for after a conflict: show the environment's latest version (the form starts afresh from it).</summary>
    [Parameter]
    public EventCallback Reload { get; set; }

    [Inject]
    private IAuditReader Audit { get; set; } = default!;

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private IOptions<EnvironmentPolicyOptions> Policy { get; set; } = default!;

    protected override void OnInitialized()
    {
        var quota = Environment.Quota;
        _form = new EnvironmentForm
        {
            DisplayName = Environment.DisplayName,
            OwningTeam = Environment.OwningTeam,
            CostCentre = Environment.CostCentre,
            MonthlyBudget = Environment.MonthlyBudget,
            Labels = string.Join(", ", Environment.Labels.Select(l => $"{l.Key}={l.Value}")),
            QuotaCpu = quota.IsSet ? quota.Cpu : null,
            QuotaMemory = quota.IsSet ? quota.Memory : null,
            QuotaPods = quota.IsSet ? quota.Pods : null,
            RequireDeployApproval = Environment.RequireDeployApproval,
            AutoRollback = Environment.AutoRollback,
        };
        _form.TakeQuotaDefaults(Policy.Value.For(Environment.Tier).Quota, null);
        _originalLabels = Environment.Labels;
        _originalQuota = _form.ToQuota();
        _edit = new EditContext(_form);
        _messages = new ValidationMessageStore(_edit);
    }

    private async Task SaveAsync()
    {
        _message = null;
        _conflict = null;
        _messages.Clear();
        var labels = FormErrors.ParseLabels(_form.Labels);
        if (labels is null)
        {
            _messages.Add(new FieldIdentifier(_form, nameof(EnvironmentForm.Labels)), "write labels as key=value, separated by commas");
            _edit.NotifyValidationStateChanged();
            return;
        }

        var quotaEdited = _form.ToQuota();
        var request = new UpdateEnvironmentRequest
        {
            DisplayName = _form.DisplayName,
            OwningTeam = _form.OwningTeam,
            CostCentre = _form.CostCentre,
            MonthlyBudget = _form.MonthlyBudget,
            Labels = EnvironmentEditConflict.SameLabels(labels, _originalLabels) ? null : labels,
            Quota = quotaEdited == _originalQuota ? null : quotaEdited,
            RequireDeployApproval = _form.RequireDeployApproval == Environment.RequireDeployApproval ? null : _form.RequireDeployApproval,
            AutoRollback = _form.AutoRollback == Environment.AutoRollback ? null : _form.AutoRollback,
            ExpectedVersion = Environment.Version,
        };
        var result = await Environments.UpdateAsync(await User.ActorAsync(), Environment.Name, request, CancellationToken.None);
        switch (result)
        {
            case ActionResult<PortalEnvironment>.Ok ok:
                await Saved.InvokeAsync(ok.Value);
                break;
            case ActionResult<PortalEnvironment>.Invalid invalid:
                _message = FormErrors.Show(invalid.Errors, _messages, _form);
                break;
            case ActionResult<PortalEnvironment>.Conflict conflict:
                var latest = await Environments.GetAsync(await User.PrincipalAsync(), Environment.Name, CancellationToken.None);
                var explained = await EnvironmentEditConflict.DescribeAsync(Environment, latest, Audit, CancellationToken.None);
                _conflict = explained.Length > 0 ? explained : conflict.Message;
                break;
            default:
                _message = result.Describe();
                break;
        }

        _edit.NotifyValidationStateChanged();
    }

    private static Dictionary<string, object> SwitchInput(string id) => new() { ["id"] = id };
}
