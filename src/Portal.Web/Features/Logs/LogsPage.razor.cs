using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using Portal.Core.Logs;

namespace Portal.Web.Features.Logs;

/// <summary>
/// Kibana's Discover in Portal. The URL is the state (<see cref="DiscoverState"/>): every change navigates, so a view
/// can be shared and Back works, and opening a URL restores it. The data lives in <see cref="DiscoverViewModel"/>;
/// this class wires the URL, the timers (auto-refresh, the live tail's poll) and the browser's script to it.
/// </summary>
public sealed partial class LogsPage : IAsyncDisposable
{
    public static readonly PortalFeature Feature = new(
        "logs", "Logs", "manage_search", "logs", 40,
        "Search every log Kibana-style with KQL, over any time range, with a histogram.");

    /// <summary>How often the live tail asks for new lines.</summary>
    public static readonly TimeSpan TailInterval = TimeSpan.FromSeconds(2);

    /// <summary>How far below the newest line the reader may scroll before the live tail pauses.</summary>
    private const int ScrollPauseThreshold = 40;

    private readonly CancellationTokenSource _closing = new();
    private DiscoverViewModel _vm = default!;
    private DiscoverState _state = new();
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private KqlQueryBar? _queryBar;
    private ElementReference _results;
    private IJSObjectReference? _module;
    private IJSObjectReference? _shortcut;
    private IJSObjectReference? _scroll;
    private DotNetObjectReference<LogsPage>? _self;
    private RepeatingTick _refresh = default!;
    private RepeatingTick _tail = default!;
    private bool _showSaved;
    private bool _scrolledAway;
    private bool _disposed;

    // The URL's keys: declared so that a navigation changing only the query string sets parameters again.
    [SupplyParameterFromQuery(Name = "q")]
    public string? Q { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? FromText { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? ToText { get; set; }

    [SupplyParameterFromQuery(Name = "env")]
    public string? Env { get; set; }

    [SupplyParameterFromQuery(Name = "cols")]
    public string? Cols { get; set; }

    [SupplyParameterFromQuery(Name = "f")]
    public string[]? F { get; set; }

    [SupplyParameterFromQuery(Name = "refresh")]
    public string? RefreshText { get; set; }

    [SupplyParameterFromQuery(Name = "live")]
    public string? LiveText { get; set; }

    [Inject]
    private LogSearchService Search { get; set; } = default!;

    [Inject]
    private LogMarkersService Markers { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private IOptions<LogsOptions> Options { get; set; } = default!;

    [Inject]
    private ILogger<LogsPage> Logger { get; set; } = default!;

    private string ExportUrl => $"api/v1/logs/export.csv?{_state.ToQueryString()}";

    protected override void OnInitialized()
    {
        _vm = new DiscoverViewModel(Search, Markers, Logger, () => InvokeAsync(StateHasChanged));
        _refresh = new RepeatingTick(Clock, InvokeAsync, Logger);
        _tail = new RepeatingTick(Clock, InvokeAsync, Logger);
    }

    protected override async Task OnParametersSetAsync()
    {
        _state = DiscoverState.Parse(Navigation.ToAbsoluteUri(Navigation.Uri).Query);
        if (_vm.Readable is null)
        {
            await _vm.LoadEnvironmentsAsync(await User.PrincipalAsync(), _closing.Token);
        }

        // Prerendering shows the page's frame; the search runs once, in the interactive circuit.
        if (!RendererInfo.IsInteractive || _vm.Readable is not { Count: > 0 })
        {
            return;
        }

        ScheduleTimers();
        if (_vm.Searched is not { } searched || !searched.SameSearch(_state))
        {
            await SearchAsync();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!RendererInfo.IsInteractive || _disposed)
        {
            return;
        }

        try
        {
            if (_module is null)
            {
                _module = await DiscoverScript.ImportAsync(JS);
                _zone = LogTimeFormat.Resolve(await _module.InvokeAsync<string>("timeZone"));
                _self = DotNetObjectReference.Create(this);
                StateHasChanged();
            }

            if (_shortcut is null && _queryBar is not null)
            {
                _shortcut = await _module.InvokeAsync<IJSObjectReference>("focusShortcut", _queryBar.Input);
            }

            if (_scroll is null && _vm.Readable is { Count: > 0 } && _results.Context is not null)
            {
                _scroll = await _module.InvokeAsync<IJSObjectReference>("watchScroll", _results, _self, ScrollPauseThreshold);
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser left while the page was starting.
        }
    }

    /// <summary>Called by the script when the results leave (or return to) their top: the live tail pauses while away.</summary>
    [JSInvokable]
    public Task OnScrolledAwayAsync(bool away) => InvokeAsync(() =>
    {
        _scrolledAway = away;
        _vm.SetPaused(away && _state.Live);
        StateHasChanged();
    });

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _closing.CancelAsync();
        _refresh.Dispose();
        _tail.Dispose();
        await DiscoverScript.DisposeQuietlyAsync(_shortcut);
        await DiscoverScript.DisposeQuietlyAsync(_scroll);
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // Gone with the browser.
            }
        }

        _self?.Dispose();
        _closing.Dispose();
    }

    private async Task SearchAsync() => await _vm.SearchAsync(await User.PrincipalAsync(), _state, _closing.Token);

    /// <summary>Puts a new state in the URL; the navigation brings it back through <see cref="OnParametersSetAsync"/>.</summary>
    private async Task GoAsync(DiscoverState next, bool replace = false)
    {
        if (next.Equals(_state))
        {
            // The same URL again (Search pressed twice): the user wants fresh results.
            await SearchAsync();
            return;
        }

        Navigation.NavigateTo(next.ToRelativeUri(), new NavigationOptions { ReplaceHistoryEntry = replace });
    }

    private Task OnQueryAsync(string query) => GoAsync(_state with { Query = query });

    private Task OnFiltersAsync(IReadOnlyList<LogFilter> filters) => GoAsync(_state with { Filters = filters });

    private Task OnFilterAsync(LogFilter filter) => GoAsync(_state.WithFilter(filter));

    private Task OnRangeAsync((string From, string To) range) => GoAsync(_state with { From = range.From, To = range.To });

    private Task OnZoomAsync((DateTimeOffset From, DateTimeOffset To) range) =>
        GoAsync(_state with { From = DiscoverState.FormatInstant(range.From), To = DiscoverState.FormatInstant(range.To) });

    private Task OnEnvironmentAsync(ChangeEventArgs e) =>
        GoAsync(_state with { Environment = e.Value?.ToString() is { Length: > 0 } env ? env : null });

    private Task OnSavedOpened(DiscoverState saved) => GoAsync(saved with { Refresh = _state.Refresh, Live = _state.Live });

    private Task OnToggleColumn(string field) => GoAsync(_state.WithColumnToggled(field), replace: true);

    private Task OnRefreshChanged(string refresh) => GoAsync(_state with { Refresh = refresh }, replace: true);

    private Task ToggleLive() => GoAsync(_state with { Live = !_state.Live }, replace: true);

    private async Task LoadMoreAsync() => await _vm.LoadMoreAsync(await User.PrincipalAsync(), _closing.Token);

    private async Task ResumeAsync()
    {
        _vm.SetPaused(false);
        if (_scroll is not null)
        {
            try
            {
                await _scroll.InvokeVoidAsync("toTop");
            }
            catch (JSDisconnectedException)
            {
                // Nothing to scroll any more.
            }
        }
    }

    /// <summary>Starts, changes or stops the auto-refresh and the live tail to match the URL.</summary>
    private void ScheduleTimers()
    {
        _refresh.Set(_state.Live ? Timeout.InfiniteTimeSpan : _state.RefreshEvery, async () =>
        {
            if (!_vm.Loading)
            {
                await SearchAsync();
                StateHasChanged();
            }
        });
        _tail.Set(_state.Live ? TailInterval : Timeout.InfiniteTimeSpan, async () =>
        {
            await _vm.TailAsync(await User.PrincipalAsync(), Clock.GetUtcNow(), _closing.Token);
            StateHasChanged();
        });
        _vm.SetPaused(_state.Live && _scrolledAway);
    }
}
