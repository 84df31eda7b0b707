using Microsoft.AspNetCore.Components;
using Portal.Infrastructure.Persistence.Availability;

namespace Portal.Web.Components.Layout;

/// <summary>
/// The one degraded-state banner for the portal's own database (<see cref="DatabaseAvailability"/>): pages that need
/// no database (workloads from the cluster cache, logs) keep working under it, pages that need it say so in place
/// (<see cref="DatabaseOutageBoundary"/>). It follows the availability live, so it leaves without a reload.
/// </summary>
public sealed partial class DatabaseBanner : IDisposable
{
    public const string Message =
        "The portal's database is not answering; showing what needs no database. Changes are refused until it is back; Portal keeps retrying.";

    [Inject]
    private DatabaseAvailability Availability { get; set; } = default!;

    protected override void OnInitialized() => Availability.Changed += OnChanged;

    public void Dispose() => Availability.Changed -= OnChanged;

    private void OnChanged() => _ = InvokeAsync(StateHasChanged);
}
