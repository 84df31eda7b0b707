using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Portal.Core.Actions;

namespace Portal.Web.Features.Environments;

/// <summary>The create form. Validation and authorization happen in EnvironmentService; its field errors land
/// under the fields, and nothing is stored unless everything is valid and allowed.</summary>
public sealed partial class NewEnvironmentPage
{
    private static readonly IReadOnlyList<string> Tiers = [.. EnvironmentTiers.All.Select(t => t.ToWire())];

    private readonly EnvironmentForm _form = new();
    private EditContext _edit = default!;
    private ValidationMessageStore _messages = default!;
    private string? _message;
    private bool _busy;

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override void OnInitialized()
    {
        _edit = new EditContext(_form);
        _messages = new ValidationMessageStore(_edit);
    }

    private async Task SubmitAsync()
    {
        _busy = true;
        _message = null;
        _messages.Clear();
        try
        {
            var labels = FormErrors.ParseLabels(_form.Labels);
            if (labels is null)
            {
                _messages.Add(new FieldIdentifier(_form, nameof(EnvironmentForm.Labels)), "write labels as key=value, separated by commas");
                return;
            }

            var result = await Environments.CreateAsync(await User.ActorAsync(), _form.ToRequest(labels), CancellationToken.None);
            switch (result)
            {
                case ActionResult<PortalEnvironment>.Ok ok:
                    Navigation.NavigateTo($"environments/{ok.Value.Name}?env={ok.Value.Name}");
                    break;
                case ActionResult<PortalEnvironment>.Invalid invalid:
                    _message = FormErrors.Show(invalid.Errors, _messages, _form);
                    break;
                default:
                    _message = result.Describe();
                    break;
            }
        }
        finally
        {
            _busy = false;
            _edit.NotifyValidationStateChanged();
        }
    }
}
