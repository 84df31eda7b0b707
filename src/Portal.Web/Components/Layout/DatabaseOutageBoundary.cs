using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Portal.Infrastructure.Persistence.Availability;

namespace Portal.Web.Components.Layout;

/// <summary>
/// Around every page: the <see cref="DatabaseBanner"/> above it, and, when the page itself fails, a plain sentence in
/// its place instead of an error page or a broken circuit — "this page needs the database" when that was the cause
/// (Portal keeps retrying; the page comes back by itself when the database does), otherwise a short "could not be
/// shown" without internals. Navigating away, or the database answering again, shows the page anew.
/// </summary>
public sealed partial class DatabaseOutageBoundary : ErrorBoundaryBase, IDisposable
{
    [Inject]
    private DatabaseAvailability Availability { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ILogger<DatabaseOutageBoundary> Logger { get; set; } = default!;

    private bool NeedsDatabase => CurrentException is { } ex && DatabaseFailures.IsUnavailable(ex);

    protected override void OnInitialized()
    {
        Navigation.LocationChanged += OnLocationChanged;
        Availability.Changed += OnAvailabilityChanged;
    }

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        Availability.Changed -= OnAvailabilityChanged;
    }

    protected override Task OnErrorAsync(Exception exception)
    {
        if (!Availability.ReportFailure(exception))
        {
            LogPageFailed(Logger, exception);
        }

        return Task.CompletedTask;
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenComponent<DatabaseBanner>(0);
        builder.CloseComponent();
        if (CurrentException is null)
        {
            builder.AddContent(1, ChildContent);
            return;
        }

        builder.OpenElement(2, "div");
        builder.AddAttribute(3, "class", "portal-page");
        builder.AddAttribute(4, "role", "status");
        builder.AddAttribute(5, "data-testid", NeedsDatabase ? "page-needs-database" : "page-failed");
        builder.AddContent(6, NeedsDatabase
            ? "This page needs the portal's database, which is not answering. Portal keeps retrying; the page comes back when the database does."
            : "This page could not be shown. Reload to try again; if it keeps failing, tell the portal's administrators.");
        builder.CloseElement();
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e) => _ = InvokeAsync(Recover);

    private void OnAvailabilityChanged()
    {
        if (Availability.IsAvailable && NeedsDatabase)
        {
            _ = InvokeAsync(Recover);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A page failed to render")]
    private static partial void LogPageFailed(ILogger logger, Exception exception);
}
