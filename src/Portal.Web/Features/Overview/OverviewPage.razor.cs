using Microsoft.AspNetCore.Components;

namespace Portal.Web.Features.Overview;

public sealed partial class OverviewPage : IDisposable
{
    public static readonly PortalFeature Feature = new(
        "overview", "Overview", "home", "", 0,
        "Where you start: the environment you work in and every part of the portal.");

    [Inject]
    private IEnumerable<PortalFeature> Features { get; set; } = default!;

    [Inject]
    private EnvironmentContext Environment { get; set; } = default!;

    protected override void OnInitialized() => Environment.Changed += OnEnvironmentChanged;

    public void Dispose() => Environment.Changed -= OnEnvironmentChanged;

    private void OnEnvironmentChanged() => _ = InvokeAsync(StateHasChanged);
}
