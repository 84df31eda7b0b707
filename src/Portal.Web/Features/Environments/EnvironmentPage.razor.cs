using Microsoft.AspNetCore.Components;

namespace Portal.Web.Features.Environments;

/// <summary>One environment: its summary and who may do what in it.</summary>
public sealed partial class EnvironmentPage
{
    private PortalEnvironment? _environment;
    private bool _loaded;

    [Parameter]
    public string Name { get; set; } = "";

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _environment = await Environments.GetAsync(await User.PrincipalAsync(), Name, CancellationToken.None);
        _loaded = true;
    }

    private void OnChanged(PortalEnvironment changed) => _environment = changed;
}
