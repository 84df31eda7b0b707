using Microsoft.AspNetCore.Components;

namespace Portal.Web.Components.Layout;

/// <summary>The left navigation, built from the registered features in their order; links keep the environment.</summary>
public sealed partial class NavMenu : IDisposable
{
    private IReadOnlyList<PortalFeature> _features = [];

    [Inject]
    private IEnumerable<PortalFeature> Features { get; set; } = default!;

    [Inject]
    private EnvironmentContext Environment { get; set; } = default!;

    protected override void OnInitialized()
    {
        _features = [.. Features.OrderBy(f => f.Order).ThenBy(f => f.Title, StringComparer.Ordinal)];
        Environment.Changed += OnEnvironmentChanged;
    }

    public void Dispose() => Environment.Changed -= OnEnvironmentChanged;

    private void OnEnvironmentChanged() => _ = InvokeAsync(StateHasChanged);
}
