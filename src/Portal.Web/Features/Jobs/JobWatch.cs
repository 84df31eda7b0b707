using Portal.Core.Authorization;
using Portal.Core.Jobs;
using Portal.Web.Components.Shared;

namespace Portal.Web.Features.Jobs;

/// <summary>
/// One job kept current for a page: the job and its log so far. It refreshes when this replica's job engine reports a
/// change to the job and, for other replicas' changes, every poll interval; each refresh reads only the log lines
/// after the last one held. Every refresh runs through the owner's dispatcher (a component's <c>InvokeAsync</c>), so
/// the state is only touched on one thread.
/// </summary>
public sealed class JobWatch(JobService jobs, JobEvents events, TimeProvider clock, PortalPrincipal who, Guid id) : IDisposable
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(2);

    /// <summary>A running job reports a change for every log line: it is read again at most this often.</summary>
    public static readonly TimeSpan EventWindow = TimeSpan.FromMilliseconds(250);

    /// <summary>Lines kept; older ones drop off the top.</summary>
    public const int MaxLogLines = 10_000;

    private readonly List<JobLogLine> _log = [];
    private Action? _changed;
    private CoalescingRefresh? _refresh;
    private LiveRefresh? _live;
    private long _lastSequence;
    private bool _disposed;

    public Guid Id { get; } = id;

    /// <summary>Null when the job does not exist or the user may not see it.</summary>
    public PortalJob? Job { get; private set; }

    public string? Description { get; private set; }

    public IReadOnlyList<JobLogLine> Log => _log;

    /// <summary>Why the last refresh failed (what is shown is then older); null after one that worked.</summary>
    public string? Problem => _refresh?.Problem;

    private CoalescingRefresh Refresh => _refresh ??= new(LoadAsync, "the job", () => _disposed);

    /// <summary>When the job was last read, for the durations of what still runs.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>
    /// Follows the job from now on: <paramref name="dispatch"/> runs each refresh on the owner's thread and
    /// <paramref name="changed"/> is called after it. No polling when <paramref name="pollInterval"/> is <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    public void Start(Func<Func<Task>, Task> dispatch, Action changed, TimeSpan? pollInterval = null)
    {
        _changed = changed;
        _live = new LiveRefresh(events, clock, dispatch, RefreshAsync, job => job == Id, () => !_disposed, pollInterval ?? DefaultPollInterval, EventWindow);
    }

    public void Dispose()
    {
        _disposed = true;
        _live?.Dispose();
    }

    /// <summary>Reads the job and the new log lines; called while a refresh is in flight, it runs once more after it.</summary>
    public async Task RefreshAsync()
    {
        if (await Refresh.RunAsync() && !_disposed)
        {
            _changed?.Invoke();
        }
    }

    /// <summary>One read of the job and of the log lines after the last one held (a long log arrives over several reads).</summary>
    public async Task LoadAsync()
    {
        var job = await jobs.GetAsync(who, Id, CancellationToken.None);
        if (job is not null)
        {
            foreach (var line in await jobs.LogAsync(who, Id, _lastSequence, CancellationToken.None))
            {
                // Two reads may overlap a line: each sequence is added once.
                if (line.Sequence > _lastSequence)
                {
                    _log.Add(line);
                    _lastSequence = line.Sequence;
                }
            }

            if (_log.Count > MaxLogLines)
            {
                _log.RemoveRange(0, _log.Count - MaxLogLines);
            }
        }

        Job = job;
        Description = job is null ? null : jobs.Describe(job);
        Now = clock.GetUtcNow();
    }
}
