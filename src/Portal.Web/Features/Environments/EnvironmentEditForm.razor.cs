using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Portal.Core.Actions;

namespace Portal.Web.Features.Environments;

/// <summary>Changes an environment's display name, team, cost centre, budget and labels, against the version the
/// user saw: a concurrent change is a conflict with a message, never a silent overwrite.</summary>
public sealed partial class EnvironmentEditForm
{
    private EnvironmentForm _form = new();
    private EditContext _edit = default!;
    private ValidationMessageStore _messages = default!;
    private string? _message;

    [Parameter, EditorRequired]
    public PortalEnvironment Environment { get; set; } = default!;

    [Parameter]
    public EventCallback<PortalEnvironment> Saved { get; set; }

    [Parameter]
    public EventCallback Closed { get; set; }

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    protected override void OnInitialized()
    {
        _form = new EnvironmentForm
        {
            DisplayName = Environment.DisplayName,
            OwningTeam = Environment.OwningTeam,
            CostCentre = Environment.CostCentre,
            MonthlyBudget = Environment.MonthlyBudget,
            Labels = string.Join(", ", Environment.Labels.Select(l => $"{l.Key}={l.Value}")),
        };
        _edit = new EditContext(_form);
        _messages = new ValidationMessageStore(_edit);
    }

    private async Task SaveAsync()
    {
        _message = null;
        _messages.Clear();
        var labels = FormErrors.ParseLabels(_form.Labels);
        if (labels is null)
        {
            _messages.Add(new FieldIdentifier(_form, nameof(EnvironmentForm.Labels)), "write labels as key=value, separated by commas");
            _edit.NotifyValidationStateChanged();
            return;
        }

        var request = new UpdateEnvironmentRequest
        {
            DisplayName = _form.DisplayName,
            OwningTeam = _form.OwningTeam,
            CostCentre = _form.CostCentre,
            MonthlyBudget = _form.MonthlyBudget,
            Labels = labels,
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
            default:
                _message = result.Describe();
                break;
        }

        _edit.NotifyValidationStateChanged();
    }
}
