using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Logs;

namespace Portal.Web.Features.Logs;

/// <summary>
/// What the Discover page shows and how it gets it: the environments the user may read, the first page of a search
/// with its histogram and field sidebar, further pages on demand (cursor paging, never everything), the live tail
/// (polled, deduplicated, capped, pausable), and the markers over the histogram. A newer search wins over an older one
/// still running. The page owns the URL and the timers; every method here runs on the page's renderer.
/// </summary>
public sealed class DiscoverViewModel(LogSearchService search, LogMarkersService markers, ILogger logger, Func<Task> changed)
{
    public const int PageSize = 100;

    /// <summary>The most rows the live tail keeps; older ones drop off the bottom.</summary>
    public const int MaxLiveRows = 1000;

    public const int TailPageSize = 500;

    private readonly List<LogHit> _rows = [];
    private readonly List<LogHit> _pending = [];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<LogField>> _fields = new(StringComparer.Ordinal);
    private int _generation;
    private long _tailed;

    /// <summary>The environments whose logs the user may read; null until read.</summary>
    public IReadOnlyList<PortalEnvironment>? Readable { get; private set; }

    /// <summary>The state whose results are shown (or being fetched).</summary>
    public DiscoverState? Searched { get; private set; }

    /// <summary>The first page's answer: histogram, field sidebar, range, environments.</summary>
    public LogSearchResponse? Response { get; private set; }

    public IReadOnlyList<LogHit> Rows => _rows;

    /// <summary>Every match of the search, plus the lines the live tail added since.</summary>
    public long Total => (Response?.Total ?? 0) + _tailed;

    public string? NextCursor { get; private set; }

    public bool Loading { get; private set; }

    public bool LoadingMore { get; private set; }

    /// <summary>Why there are no results (the store is down, throttled, access refused), fit for a banner.</summary>
    public string? Problem { get; private set; }

    /// <summary>Why the live tail's last poll failed; the rows already shown stay.</summary>
    public string? TailProblem { get; private set; }

    /// <summary>The server's field errors (<c>query</c>, <c>from</c>, <c>to</c>, <c>filters[i].field</c>).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public IReadOnlyList<LogMarker> Markers { get; private set; } = [];

    /// <summary>Every field the searched environments' documents carry (for the sidebar's "not in the sample").</summary>
    public IReadOnlyList<LogField> AllFields { get; private set; } = [];

    /// <summary>The reader scrolled away: new lines wait in <see cref="PendingCount"/>.</summary>
    public bool Paused { get; private set; }

    public int PendingCount => _pending.Count;

    public async Task LoadEnvironmentsAsync(PortalPrincipal who, CancellationToken ct)
    {
        try
        {
            Readable = await search.ReadableEnvironmentsAsync(who, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Reading the environments for Discover failed");
            Readable = [];
            // A database outage has the layout's banner; its provider text (host names, SQL states) is not for the page.
            Problem = Portal.Infrastructure.Persistence.Availability.DatabaseFailures.IsUnavailable(ex)
                ? "The environments could not be read: the portal's database is not answering."
                : $"The environments could not be read: {ex.Message}";
        }
    }

    /// <summary>Runs the search of <paramref name="state"/> and shows its first page; an older search still running is dropped.</summary>
    public async Task SearchAsync(PortalPrincipal who, DiscoverState state, CancellationToken ct)
    {
        var generation = ++_generation;
        Searched = state;
        Loading = true;
        try
        {
            var outcome = await search.SearchAsync(who, state.ToInput() with { Size = PageSize }, ct);
            if (generation != _generation)
            {
                return;
            }

            Show(outcome);
            if (Response is { } response)
            {
                await changed();
                await LoadExtrasAsync(who, state, response, generation, ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException && generation == _generation)
        {
            logger.LogWarning(ex, "Discover search failed");
            Clear();
            Problem = $"The search failed: {ex.Message}";
        }
        finally
        {
            if (generation == _generation)
            {
                Loading = false;
            }
        }
    }

    /// <summary>The next page after the last row shown.</summary>
    public async Task LoadMoreAsync(PortalPrincipal who, CancellationToken ct)
    {
        if (Searched is not { } state || NextCursor is not { } cursor || LoadingMore || Loading)
        {
            return;
        }

        var generation = _generation;
        LoadingMore = true;
        try
        {
            var outcome = await search.SearchAsync(who, state.ToInput() with { Size = PageSize, SearchAfter = cursor, Histogram = false }, ct);
            if (generation != _generation)
            {
                return;
            }

            if (outcome is ActionResult<LogSearchResponse>.Ok { Value: var page })
            {
                _rows.AddRange(page.Hits.Where(h => _ids.Add(h.Id)));
                NextCursor = page.NextCursor;
            }
            else
            {
                Problem = $"The next page could not be read: {Describe(outcome)}";
            }
        }
        finally
        {
            LoadingMore = false;
        }
    }

    /// <summary>
    /// One poll of the live tail: the hits from the newest shown to now, oldest first, without those already shown; on
    /// top of the rows, or held while <see cref="Paused"/>.
    /// </summary>
    public async Task TailAsync(PortalPrincipal who, DateTimeOffset now, CancellationToken ct)
    {
        if (Searched is not { } state || Response is not { } response || Loading)
        {
            return;
        }

        var newest = _pending.Count > 0 ? _pending[0].Timestamp : _rows.Count > 0 ? _rows[0].Timestamp : response.From;
        if (newest >= now)
        {
            return;
        }

        var generation = _generation;
        var input = state.ToInput() with
        {
            From = DiscoverState.FormatInstant(newest),
            To = "now",
            Histogram = false,
            Order = LogOrder.OldestFirst,
            Size = TailPageSize,
        };
        var outcome = await search.SearchAsync(who, input, ct);
        if (generation != _generation)
        {
            return;
        }

        if (outcome is not ActionResult<LogSearchResponse>.Ok { Value: var page })
        {
            TailProblem = $"Live tail: {Describe(outcome)}";
            return;
        }

        TailProblem = null;
        var fresh = LiveTail.Fresh(page.Hits, _ids);
        if (fresh.Count == 0)
        {
            return;
        }

        _ids.UnionWith(fresh.Select(h => h.Id));
        _tailed += fresh.Count;
        if (Paused)
        {
            foreach (var dropped in LiveTail.Prepend(_pending, fresh, MaxLiveRows))
            {
                _ids.Remove(dropped.Id);
            }
        }
        else
        {
            Prepend(fresh);
        }
    }

    /// <summary>Pauses the tail (new lines wait) or resumes it (the waiting lines go on top).</summary>
    public void SetPaused(bool paused)
    {
        if (Paused == paused)
        {
            return;
        }

        Paused = paused;
        if (!paused && _pending.Count > 0)
        {
            var waiting = _pending.ToList();
            _pending.Clear();
            Prepend(waiting);
        }
    }

    private void Prepend(IReadOnlyList<LogHit> newestFirst)
    {
        var dropped = LiveTail.Prepend(_rows, newestFirst, MaxLiveRows);
        foreach (var hit in dropped)
        {
            _ids.Remove(hit.Id);
        }

        if (dropped.Count > 0)
        {
            // Paging goes on after the oldest row still shown.
            NextCursor = _rows[^1].Cursor;
        }
    }

    private void Show(ActionResult<LogSearchResponse> outcome)
    {
        Clear();
        switch (outcome)
        {
            case ActionResult<LogSearchResponse>.Ok { Value: var response }:
                Response = response;
                _rows.AddRange(response.Hits.Where(h => _ids.Add(h.Id)));
                NextCursor = response.NextCursor;
                break;
            case ActionResult<LogSearchResponse>.Invalid invalid:
                Errors = invalid.Errors.ToDictionary().ToDictionary(StringComparer.Ordinal);
                var unplaced = Errors.Where(e => !IsPlaced(e.Key)).SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")).ToList();
                Problem = unplaced.Count > 0 ? string.Join(" ", unplaced) : null;
                break;
            default:
                Problem = Describe(outcome);
                break;
        }
    }

    private void Clear()
    {
        Response = null;
        _rows.Clear();
        _pending.Clear();
        _ids.Clear();
        _tailed = 0;
        NextCursor = null;
        Problem = null;
        TailProblem = null;
        Errors = new Dictionary<string, string[]>();
        Markers = [];
    }

    /// <summary>The markers and the full field list: neither holds up the results, and neither failing hides them.</summary>
    private async Task LoadExtrasAsync(PortalPrincipal who, DiscoverState state, LogSearchResponse response, int generation, CancellationToken ct)
    {
        var key = state.Environment ?? "";
        var searched = (Readable ?? []).Where(e => response.Environments.Contains(e.Name)).ToList();
        IReadOnlyList<LogMarker> found = [];
        try
        {
            if (!_fields.TryGetValue(key, out var fields))
            {
                fields = await search.FieldsAsync(who, state.Environment, ct) is ActionResult<IReadOnlyList<LogField>>.Ok { Value: var all } ? all : [];
                _fields[key] = fields;
            }

            found = await markers.ListAsync(searched, response.From, response.To, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Reading the field list or the histogram markers failed");
        }

        if (generation == _generation)
        {
            AllFields = _fields.GetValueOrDefault(key) ?? [];
            Markers = found;
        }
    }

    private static bool IsPlaced(string field) => field is "query" or "from" or "to" || field.StartsWith("filters[", StringComparison.Ordinal);

    private static string Describe<T>(ActionResult<T> outcome) => outcome switch
    {
        ActionResult<T>.Unavailable u => $"The log store did not answer: {u.Message} Try again in a moment; the rest of the page keeps working.",
        ActionResult<T>.Denied d => d.Decision.Reason,
        ActionResult<T>.NotFound n => $"{n.What} was not found, or you may not see it.",
        _ => outcome.Describe(),
    };
}
