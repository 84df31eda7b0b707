using Microsoft.AspNetCore.Components;

namespace Portal.Web.Components.Shared;

/// <summary>What a feature's page shows until its issue lands: its title, what it will do, and the environment.</summary>
public sealed partial class FeaturePlaceholder : IDisposable
{
    [Parameter, EditorRequired]
    public PortalFeature Feature { get; set; } = default!;

    [Inject]
    private EnvironmentContext Environment { get; set; } = default!;

    protected override void OnInitialized() => Environment.Changed += OnEnvironmentChanged;

    public void Dispose() => Environment.Changed -= OnEnvironmentChanged;

    private void OnEnvironmentChanged() => _ = InvokeAsync(StateHasChanged);
}
