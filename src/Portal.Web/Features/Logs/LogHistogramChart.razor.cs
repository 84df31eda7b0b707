using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Portal.Core.Logs;

namespace Portal.Web.Features.Logs;

/// <summary>
/// The histogram of hits over the searched range, our own SVG (Radzen's charts cannot select a range): bars scaled to
/// the busiest bucket with their count and start as tooltips, axis labels in the user's time, deploy and restart
/// markers, and drag-to-zoom through the page's script.
/// </summary>
public sealed partial class LogHistogramChart : IAsyncDisposable
{
    private static readonly string W = N(HistogramGeometry.Width);
    private static readonly string H = N(HistogramGeometry.Height);

    private IReadOnlyList<HistogramBar> _bars = [];
    private IReadOnlyList<HistogramTick> _ticks = [];
    private TimeSpan _step;
    private long _max;
    private ElementReference _plot;
    private IJSObjectReference? _brush;
    private DotNetObjectReference<LogHistogramChart>? _self;

    [Parameter, EditorRequired]
    public IReadOnlyList<LogHistogramBucket> Buckets { get; set; } = [];

    [Parameter, EditorRequired]
    public TimeSpan Interval { get; set; }

    /// <summary>The searched range, resolved.</summary>
    [Parameter, EditorRequired]
    public DateTimeOffset From { get; set; }

    [Parameter, EditorRequired]
    public DateTimeOffset To { get; set; }

    [Parameter]
    public IReadOnlyList<LogMarker> Markers { get; set; } = [];

    [Parameter]
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>A range dragged over, already rounded to milliseconds.</summary>
    [Parameter]
    public EventCallback<(DateTimeOffset From, DateTimeOffset To)> OnZoom { get; set; }

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    private string AriaLabel => $"Histogram of hits, {LogTimeFormat.Interval(Interval)}, busiest bucket {_max.ToString(CultureInfo.InvariantCulture)} hits";

    private string MarkerSummary
    {
        get
        {
            var deploys = Markers.Count(m => m.Kind == LogMarkersService.Deploy);
            var restarts = Markers.Count(m => m.Kind == LogMarkersService.Restart);
            return $"{deploys} deploy event{(deploys == 1 ? "" : "s")}, {restarts} restart{(restarts == 1 ? "" : "s")} in this range";
        }
    }

    protected override void OnParametersSet()
    {
        _bars = HistogramGeometry.Bars(Buckets, Interval, From, To);
        _max = HistogramGeometry.Max(Buckets);
        (_ticks, _step) = HistogramGeometry.Ticks(From, To, TimeZone);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _self = DotNetObjectReference.Create(this);
            try
            {
                await using var module = await DiscoverScript.ImportAsync(JS);
                _brush = await module.InvokeAsync<IJSObjectReference>("attachBrush", _plot, _self);
            }
            catch (JSDisconnectedException)
            {
                // Closed before it was ready: nothing to attach to.
            }
        }
    }

    /// <summary>Called by the script when a drag ends, with its edges as shares of the plot's width.</summary>
    [JSInvokable]
    public Task OnBrushedAsync(double start, double end) => InvokeAsync(async () =>
    {
        if (HistogramGeometry.Selection(start, end, From, To) is { } range)
        {
            await OnZoom.InvokeAsync(range);
        }
    });

    public async ValueTask DisposeAsync()
    {
        await DiscoverScript.DisposeQuietlyAsync(_brush);
        _self?.Dispose();
    }

    internal static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A little space between bars, when they are wide enough to spare it.</summary>
    private static double Gap(HistogramBar bar) => bar.BarWidth > 4 ? 0.1 * bar.BarWidth / 2 : 0;

    private string BarTitle(HistogramBar bar) =>
        $"{bar.Bucket.Count.ToString("N0", CultureInfo.InvariantCulture)} hit{(bar.Bucket.Count == 1 ? "" : "s")} from {LogTimeFormat.Full(bar.Bucket.Start, TimeZone)} to {LogTimeFormat.Full(bar.End, TimeZone)}";

    private string MarkerTitle(LogMarker marker) => $"{LogTimeFormat.Full(marker.At, TimeZone)}: {marker.Label}";
}
