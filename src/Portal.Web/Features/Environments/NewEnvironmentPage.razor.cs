using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Provisioning;

namespace Portal.Web.Features.Environments;

/// <summary>The create form, in two steps: preview what would be applied, then create exactly that. Validation
/// and authorization happen in EnvironmentService (the preview runs the same ones); its field errors land under the
/// fields, and nothing is stored unless everything is valid and allowed.</summary>
public sealed partial class NewEnvironmentPage : IDisposable
{
    private static readonly IReadOnlyList<string> Tiers = [.. EnvironmentTiers.All.Select(t => t.ToWire())];

    private readonly EnvironmentForm _form = new();
    private EditContext _edit = default!;
    private ValidationMessageStore _messages = default!;
    private QuotaDefaults? _tierQuota;
    private IReadOnlyList<PlannedObject>? _plan;
    private string? _message;
    private bool _busy;

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private IOptions<EnvironmentPolicyOptions> Policy { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private bool IsProtected => EnvironmentTiers.TryParse(_form.Tier, out var tier) && tier.IsProtected();

    protected override void OnInitialized()
    {
        _edit = new EditContext(_form);
        _messages = new ValidationMessageStore(_edit);
        _edit.OnFieldChanged += OnFieldChanged;
        OnTierChanged();
    }

    public void Dispose() => _edit.OnFieldChanged -= OnFieldChanged;

    /// <summary>The quota fields follow the tier, except the ones the user has changed.</summary>
    private void OnTierChanged()
    {
        if (EnvironmentTiers.TryParse(_form.Tier, out var tier))
        {
            var defaults = Policy.Value.For(tier).Quota;
            _form.TakeQuotaDefaults(defaults, _tierQuota);
            _tierQuota = defaults;
        }
    }

    // What was previewed is what gets created: any change sends the user back to the preview step.
    private void OnFieldChanged(object? sender, FieldChangedEventArgs e) => _plan = null;

    private void BackToEditing() => _plan = null;

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
                _plan = null;
                return;
            }

            var request = _form.ToRequest(labels);
            if (_plan is null)
            {
                await PreviewAsync(request);
            }
            else
            {
                await CreateAsync(request);
            }
        }
        finally
        {
            _busy = false;
            _edit.NotifyValidationStateChanged();
        }
    }

    private async Task PreviewAsync(CreateEnvironmentRequest request)
    {
        var result = await Environments.PreviewAsync(await User.ActorAsync(), request, CancellationToken.None);
        switch (result)
        {
            case ActionResult<IReadOnlyList<PlannedObject>>.Ok ok:
                _plan = ok.Value;
                break;
            case ActionResult<IReadOnlyList<PlannedObject>>.Invalid invalid:
                _message = FormErrors.Show(invalid.Errors, _messages, _form);
                break;
            default:
                _message = result.Describe();
                break;
        }
    }

    private async Task CreateAsync(CreateEnvironmentRequest request)
    {
        var result = await Environments.CreateAsync(await User.ActorAsync(), request, CancellationToken.None);
        switch (result)
        {
            case ActionResult<PortalEnvironment>.Ok ok:
                Navigation.NavigateTo($"environments/{ok.Value.Name}?env={ok.Value.Name}");
                break;
            case ActionResult<PortalEnvironment>.Invalid invalid:
                _plan = null;
                _message = FormErrors.Show(invalid.Errors, _messages, _form);
                break;
            default:
                _message = result.Describe();
                break;
        }
    }
}
