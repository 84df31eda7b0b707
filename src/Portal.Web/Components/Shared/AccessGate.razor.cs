using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Core.Authorization;

namespace Portal.Web.Components.Shared;

public sealed partial class AccessGate : IDisposable
{
    private AccessDecision? _decision;

    [Parameter, EditorRequired]
    public string Permission { get; set; } = "";

    [Parameter]
    public EnvironmentRef? Environment { get; set; }

    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    /// <summary>What to show instead, given the reason (e.g. a disabled button whose title is the reason).</summary>
    [Parameter]
    public RenderFragment<string>? Denied { get; set; }

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private Portal.Core.Actions.PortalActions Actions { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = default!;

    protected override void OnInitialized() => Authentication.AuthenticationStateChanged += OnAuthenticationChanged;

    protected override async Task OnParametersSetAsync() => _decision = await Actions.CheckAsync(await User.PrincipalAsync(), Permission, Environment, CancellationToken.None);

    public void Dispose() => Authentication.AuthenticationStateChanged -= OnAuthenticationChanged;

    private void OnAuthenticationChanged(Task<AuthenticationState> state) => _ = InvokeAsync(async () =>
    {
        _decision = await Actions.CheckAsync(await User.PrincipalAsync(), Permission, Environment, CancellationToken.None);
        StateHasChanged();
    });
}
