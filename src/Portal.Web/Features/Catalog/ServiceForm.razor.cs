using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Portal.Core.Actions;
using Portal.Core.Catalog;

namespace Portal.Web.Features.Catalog;

/// <summary>
/// Registers a service (no <see cref="Existing"/>) or edits one against the version it was loaded at. Validation and
/// authorization are the catalog's; on success the service's page opens.
/// </summary>
public sealed partial class ServiceForm
{
    private ServiceFormModel _model = new();
    private EditContext _edit = default!;
    private ValidationMessageStore _messages = default!;
    private string? _message;
    private string? _conflict;
    private bool _busy;

    /// <summary>The service as loaded, for an edit; null registers a new one.</summary>
    [Parameter]
    public ServiceDefinition? Existing { get; set; }

    /// <summary>Asked for after a conflict: load the service's latest version into a fresh form.</summary>
    [Parameter]
    public EventCallback Reload { get; set; }

    [Inject]
    private CatalogService Catalog { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private bool IsNew => Existing is null;

    protected override void OnInitialized()
    {
        _model = Existing is null ? ServiceFormModel.New() : ServiceFormModel.From(Existing);
        _edit = new EditContext(_model);
        _messages = new ValidationMessageStore(_edit);
    }

    private async Task SubmitAsync()
    {
        _busy = true;
        _message = null;
        _conflict = null;
        _messages.Clear();
        try
        {
            if (_model.DuplicateEnvKeys() is { Count: > 0 } duplicates)
            {
                _messages.Add(new FieldIdentifier(_model, nameof(ServiceFormModel.Env)), $"{string.Join(", ", duplicates)} is entered more than once; a variable has one value");
                _message = "Please correct the fields marked below.";
                return;
            }

            var input = _model.ToInput(Existing?.Version);
            var actor = await User.ActorAsync();
            var result = Existing is null
                ? await Catalog.CreateAsync(actor, input, CancellationToken.None)
                : await Catalog.UpdateAsync(actor, Existing.Name, input, CancellationToken.None);
            switch (result)
            {
                case ActionResult<ServiceDefinition>.Ok ok:
                    Navigation.NavigateTo(CatalogLinks.Service(ok.Value.Name));
                    break;
                case ActionResult<ServiceDefinition>.Invalid invalid:
                    _message = FormErrors.Show(invalid.Errors, _messages, _model);
                    break;
                case ActionResult<ServiceDefinition>.Conflict conflict:
                    _conflict = conflict.Message;
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

    private void Cancel() => Navigation.NavigateTo(Existing is null ? "services" : CatalogLinks.Service(Existing.Name));
}
