using Microsoft.AspNetCore.Components;
using Portal.Core.Authorization;
using Portal.Kubernetes.Rest;

namespace Portal.Web.Features.Workloads;

/// <summary>
/// A pod's log as <c>kubectl logs -f</c> shows it, in the browser: tail, follow (pause and resume without losing
/// lines), the previous container, search within, wrap, download. The user needs <see cref="Permissions.LogsRead"/>.
/// </summary>
public sealed partial class LogViewer : IAsyncDisposable
{
    /// <summary>Lines kept in the browser; older ones drop off the top as a followed log grows.</summary>
    public const int MaxLines = 10_000;

    private static readonly int[] TailChoices = [100, 500, 1000, 5000];

    private readonly List<string> _lines = [];
    private readonly List<string> _pending = [];

    // Lines arrive on the reader's thread; they join _lines on the renderer's, so a render never sees a list change.
    private readonly List<string> _incoming = [];
    private CancellationTokenSource? _reading;
    private Task _reader = Task.CompletedTask;
    private string _container = "";
    private int _tail = 500;
    private bool _previous;
    private bool _wrap;
    private bool _paused;
    private bool _following;
    private string _search = "";
    private string? _error;
    private RenderThrottle? _render;

    [Parameter, EditorRequired]
    public string Environment { get; set; } = "";

    [Parameter, EditorRequired]
    public string Pod { get; set; } = "";

    [Parameter, EditorRequired]
    public IReadOnlyList<string> Containers { get; set; } = [];

    [Parameter]
    public bool HasPrevious { get; set; }

    [Inject]
    private WorkloadService Workloads { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    private List<string> Shown => _search.Length == 0 ? _lines : [.. _lines.Where(l => l.Contains(_search, StringComparison.OrdinalIgnoreCase))];

    private string DownloadUrl =>
        $"api/v1/environments/{Uri.EscapeDataString(Environment)}/pods/{Uri.EscapeDataString(Pod)}/logs?container={Uri.EscapeDataString(_container)}&tailLines={_tail}&previous={(_previous ? "true" : "false")}&timestamps=true&download=true";

    private RenderThrottle Refresh => _render ??= new RenderThrottle(TimeSpan.FromMilliseconds(150), () => InvokeAsync(() =>
    {
        Drain();
        StateHasChanged();
    }));

    protected override async Task OnParametersSetAsync()
    {
        if (_container.Length == 0 || !Containers.Contains(_container))
        {
            _container = Containers.FirstOrDefault() ?? "";
            await RestartAsync(() => { });
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task RestartAsync(Action change)
    {
        change();
        await StopAsync();
        _lines.Clear();
        _pending.Clear();
        lock (_incoming)
        {
            _incoming.Clear();
        }

        _error = null;
        _reading = new CancellationTokenSource();
        var ct = _reading.Token;
        _reader = Task.Run(() => ReadAsync(ct), ct);
    }

    private async Task StopAsync()
    {
        if (_reading is { } reading)
        {
            await reading.CancelAsync();
            try
            {
                await _reader;
            }
            catch (Exception)
            {
                // The reader reports its own failures in _error; stopping it never fails the page.
            }

            reading.Dispose();
            _reading = null;
        }
    }

    private async Task ReadAsync(CancellationToken ct)
    {
        try
        {
            var (scope, refusal) = await Workloads.OpenAsync(await User.PrincipalAsync(), Environment, Permissions.LogsRead, ct);
            if (scope is null)
            {
                _error = refusal!.Describe();
                return;
            }

            var follow = !_previous;
            await using var stream = await WorkloadService.LogsAsync(scope, Pod, new LogOptions(_container, _tail, Previous: _previous, Follow: follow), ct);
            using var reader = new StreamReader(stream);
            _following = follow;
            Refresh.Request();
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                lock (_incoming)
                {
                    _incoming.Add(line);
                }

                Refresh.Request();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is Portal.Core.Actions.NotFoundException or Portal.Core.Actions.ConflictException or Portal.Core.Actions.DependencyUnavailableException)
        {
            _error = ex.Message;
        }
        catch (Exception ex)
        {
            // The stream broke mid-follow (the cluster restarted, the connection dropped): say so; Reload reads again.
            _error = $"The log stream ended: {Portal.Kubernetes.Cache.ClusterErrors.Describe(ex)}";
        }

        _following = false;
        Refresh.Request();
    }

    private void TogglePause()
    {
        _paused = !_paused;
        if (!_paused)
        {
            _lines.AddRange(_pending);
            _pending.Clear();
            Trim();
        }
    }

    private void Drain()
    {
        lock (_incoming)
        {
            (_paused ? _pending : _lines).AddRange(_incoming);
            _incoming.Clear();
        }

        // Paused, a chatty container must not grow the server's memory without bound: keep the newest MaxLines.
        if (_pending.Count > MaxLines)
        {
            _pending.RemoveRange(0, _pending.Count - MaxLines);
        }

        Trim();
    }

    private void Trim()
    {
        if (_lines.Count > MaxLines)
        {
            _lines.RemoveRange(0, _lines.Count - MaxLines);
        }
    }
}
