using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Portal.Core.Actions;
using Portal.Core.Catalog;
using Portal.Core.Deployments;

namespace Portal.Web.Features.Deployments;

/// <summary>
/// The deploy form, in two steps: preview what would be applied and how it differs from the cluster, then deploy
/// exactly that. Service and environment come from the URL (<c>?service=&amp;env=</c>, so the form can be linked to)
/// and prefill the rest from the last release there, else the catalog. The form's own checks are Core's rules; the
/// server checks again (and the quota), and its field errors land under the same fields.
/// </summary>
public sealed partial class DeployPage : IDisposable
{
    private readonly DeployForm _form = new();
    private EditContext _edit = default!;
    private ValidationMessageStore _messages = default!;
    private IReadOnlyList<ServiceDefinition> _services = [];
    private IReadOnlyList<string> _environments = [];
    private ServiceDefinition? _service;
    private DeployPreview? _preview;
    private (string? Service, string? Environment)? _loaded;
    private string? _message;
    private ActionProblem? _problem;
    private bool _busy;

    [SupplyParameterFromQuery(Name = "service")]
    public string? Service { get; set; }

    [SupplyParameterFromQuery(Name = EnvironmentContext.QueryParameter)]
    public string? Env { get; set; }

    [Inject]
    private DeploymentService Deployments { get; set; } = default!;

    [Inject]
    private CatalogService Catalog { get; set; } = default!;

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private EnvironmentContext Context { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private string? VersionHint => _service is null ? "An image tag or digest."
        : $"Deployed as {ImageReference.ForVersion(_service.ImageRepository, string.IsNullOrWhiteSpace(_form.Version) ? "<version>" : _form.Version.Trim())}";

    private string IngressHint => _service is null ? "Reach the service from outside the cluster."
        : _service.IngressHostPattern is null ? $"{_service.Name} has no ingress host pattern in the catalog, so it cannot have an ingress."
        : $"At {_service.IngressHostFor(_form.Environment ?? "")}.";

    private string DeployText => (_preview?.NeedsApproval ?? false) ? "Deploy (ask for approval)" : _form.Queue ? "Deploy (queued)" : "Deploy";

    protected override async Task OnInitializedAsync()
    {
        _edit = new EditContext(_form);
        _messages = new ValidationMessageStore(_edit);
        _edit.OnFieldChanged += OnFieldChanged;
        Context.Changed += OnEnvironmentChanged;
        _services = await Catalog.ListAsync(CancellationToken.None);
        _environments = [.. (await Environments.ListAsync(await User.PrincipalAsync(), CancellationToken.None)).Where(e => !e.IsGone).Select(e => e.Name)];
    }

    protected override async Task OnParametersSetAsync()
    {
        var service = string.IsNullOrEmpty(Service) ? null : Service;
        var environment = string.IsNullOrEmpty(Env) ? Context.Current?.Name : Env;
        if (_loaded == (service, environment))
        {
            return;
        }

        _loaded = (service, environment);
        _preview = null;
        _problem = null;
        _message = null;
        _messages.Clear();
        _service = _services.FirstOrDefault(s => s.Name == service);

        // The defaults carry the last release's settings: only for an environment the user may see.
        var defaults = service is not null && environment is not null && _environments.Contains(environment)
            ? await Deployments.DefaultsAsync(await User.PrincipalAsync(), service, environment, CancellationToken.None)
            : null;
        _form.Fill(defaults ?? new DeployRequest { Service = service });
        _form.Environment = environment;
        if (service is not null && _service is null)
        {
            _messages.Add(_edit.Field(nameof(DeployForm.Service)), $"'{service}' is not in the catalog");
        }
    }

    public void Dispose()
    {
        _edit.OnFieldChanged -= OnFieldChanged;
        Context.Changed -= OnEnvironmentChanged;
    }

    /// <summary>Without <c>?env=</c> the form takes the switcher's environment, which arrives a moment after the first render.</summary>
    private void OnEnvironmentChanged()
    {
        if (string.IsNullOrEmpty(Env) && _form.Environment is null && Context.Current is not null)
        {
            _ = InvokeAsync(async () =>
            {
                await OnParametersSetAsync();
                StateHasChanged();
            });
        }
    }

    /// <summary>A new service or environment goes into the URL; the page then prefills from it.</summary>
    private void Choose(string? service, string? environment) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["service"] = string.IsNullOrEmpty(service) ? null : service,
            [EnvironmentContext.QueryParameter] = string.IsNullOrEmpty(environment) ? null : environment,
        }));

    // What was previewed is what gets deployed: any change but the queue choice sends the user back to the preview step.
    private void OnFieldChanged(object? sender, FieldChangedEventArgs e)
    {
        if (!(ReferenceEquals(e.FieldIdentifier.Model, _form) && e.FieldIdentifier.FieldName == nameof(DeployForm.Queue)))
        {
            _preview = null;
        }
    }

    private void AddVariable()
    {
        _form.Env.Add(new EnvVarRow());
        _preview = null;
    }

    private void RemoveVariable(EnvVarRow row)
    {
        _form.Env.Remove(row);
        _preview = null;
    }

    private void BackToEditing() => _preview = null;

    private void Cancel() => Navigation.NavigateTo($"deployments{(_form.Environment is { } e ? $"?env={Uri.EscapeDataString(e)}" : "")}");

    private async Task SubmitAsync()
    {
        _busy = true;
        _message = null;
        _problem = null;
        _messages.Clear();
        try
        {
            var errors = _form.Validate(_service);
            if (!errors.IsEmpty)
            {
                _preview = null;
                _message = FormErrors.Show(errors, _messages, _form);
                return;
            }

            if (_preview is null)
            {
                await PreviewAsync();
            }
            else
            {
                await DeployAsync();
            }
        }
        finally
        {
            _busy = false;
            _edit.NotifyValidationStateChanged();
        }
    }

    private async Task PreviewAsync()
    {
        var result = await Deployments.PreviewAsync(await User.ActorAsync(), _form.Environment!, _form.ToRequest(), CancellationToken.None);
        if (result is ActionResult<DeployPreview>.Ok ok)
        {
            _preview = ok.Value;
            _form.Queue = ok.Value.Running is not null && _form.Queue;
            return;
        }

        Show(result, $"deploy to {_form.Environment}");
    }

    private async Task DeployAsync()
    {
        var result = await Deployments.DeployAsync(await User.ActorAsync(), _form.Environment!, _form.ToRequest(), CancellationToken.None);
        if (result is ActionResult<DeployOutcome>.Ok ok)
        {
            Navigation.NavigateTo(ReleaseFormat.Link(ok.Value.Release));
            return;
        }

        Show(result, $"deploy to {_form.Environment}");
    }

    private void Show<T>(ActionResult<T> result, string what)
    {
        if (result is ActionResult<T>.Invalid invalid)
        {
            _preview = null;
            _message = FormErrors.Show(invalid.Errors, _messages, _form);
            return;
        }

        _problem = ActionProblem.From(result, what);
    }
}
