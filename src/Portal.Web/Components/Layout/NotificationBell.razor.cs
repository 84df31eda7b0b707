using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Portal.Core.Actions;
using Portal.Core.Approvals;
using Portal.Core.Authorization;
using Portal.Core.Costs;
using Microsoft.Extensions.Options;
using Portal.Web.Features.Costs;
using Portal.Web.Features.Environments;

namespace Portal.Web.Components.Layout;

/// <summary>
/// What needs the signed-in user: expiry warnings for environments they may extend, four-eyes requests they may
/// decide, and this month's budget notices they may see. Loaded on render, on every navigation, and every minute while the circuit lives.
/// </summary>
public sealed partial class NotificationBell : IDisposable
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _stop = new();
    private IReadOnlyList<ExpiryNotice> _expiring = [];
    private IReadOnlyList<ApprovalRequest> _approvals = [];
    private IReadOnlyList<BudgetNotice> _budgets = [];
    private bool _signedIn;
    private bool _open;

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private EnvironmentExpiry Expiry { get; set; } = default!;

    [Inject]
    private ApprovalService Approvals { get; set; } = default!;

    [Inject]
    private PortalActions Actions { get; set; } = default!;

    [Inject]
    private CostService Costs { get; set; } = default!;

    [Inject]
    private IOptions<CostsOptions> CostsOptions { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private ILogger<NotificationBell> Logger { get; set; } = default!;

    private int Count => _expiring.Count + _approvals.Count + _budgets.Count;

    private string Currency => CostsOptions.Value.Currency;

    protected override async Task OnInitializedAsync()
    {
        Navigation.LocationChanged += OnLocationChanged;
        await RefreshAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Only a live circuit refreshes; the prerendered HTML is a snapshot.
        if (firstRender && RendererInfo.IsInteractive)
        {
            _ = RefreshPeriodicallyAsync(_stop.Token);
        }
    }

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task RefreshPeriodicallyAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(RefreshEvery, Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                await InvokeAsync(async () =>
                {
                    await RefreshAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The circuit ended.
        }
    }

    private async Task RefreshAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        var ct = _stop.Token;
        var who = await User.PrincipalAsync();
        _signedIn = who.IsAuthenticated;
        if (!_signedIn)
        {
            return;
        }

        try
        {
            var expiring = new List<ExpiryNotice>();
            var visible = await Environments.ListAsync(who, ct);
            foreach (var notice in Expiry.Notices(visible))
            {
                var environment = visible.First(e => e.Name == notice.Environment);
                if ((await Actions.CheckAsync(who, Permissions.EnvironmentsExtendTtl, environment.Ref, ct)).Allowed)
                {
                    expiring.Add(notice);
                }
            }

            var decidable = new List<ApprovalRequest>();
            foreach (var request in await Approvals.ListAsync(who, ApprovalState.Pending, ct))
            {
                if (await Approvals.MayDecideAsync(who, request, ct))
                {
                    decidable.Add(request);
                }
            }

            var month = Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            var budgets = await Costs.NoticesAsync(who, month, ct);

            (_expiring, _approvals, _budgets) = (expiring, decidable, budgets);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            // Only the bell degrades (it keeps what it showed); the next refresh tries again.
            Logger.LogWarning(ex, "Loading notifications failed");
        }
    }

    private string BudgetLink(BudgetNotice n) => n.Scope == BudgetScope.Environment
        ? CostLinks.Environment(n.Name)
        : CostLinks.Summary(CostRange.ThisMonth(Clock.GetUtcNow()), CostGrouping.Environment, n.Name);

    private void Toggle() => _open = !_open;

    private void OnKeyDown(KeyboardEventArgs e)
    {
        if (e.Key == "Escape")
        {
            _open = false;
        }
    }

    // A page the user opened may have changed what needs them (an approval decided, an environment extended).
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e) => _ = InvokeAsync(async () =>
    {
        _open = false;
        await RefreshAsync();
        StateHasChanged();
    });
}
